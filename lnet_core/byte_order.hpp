// Little-endian loads and stores at any alignment: every LNET and ptlrpc
// field is little-endian on the wire, whatever the host.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ostd::lnet {

template <typename T>
constexpr T byte_swap(T value)
{
    if constexpr (sizeof(T) == 2)
        return static_cast<T>(__builtin_bswap16(value));
    else if constexpr (sizeof(T) == 4)
        return static_cast<T>(__builtin_bswap32(value));
    else if constexpr (sizeof(T) == 8)
        return static_cast<T>(__builtin_bswap64(value));
    else
        return value;
}

template <typename T>
inline T load_le(const std::byte* at)
{
    T value;
    std::memcpy(&value, at, sizeof value);
    if constexpr (std::endian::native == std::endian::big)
        value = byte_swap(value);
    return value;
}

template <typename T>
inline void store_le(std::byte* at, T value)
{
    if constexpr (std::endian::native == std::endian::big)
        value = byte_swap(value);
    std::memcpy(at, &value, sizeof value);
}

}  // namespace ostd::lnet
