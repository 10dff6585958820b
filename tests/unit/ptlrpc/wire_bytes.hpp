// Hand-built expected bytes for layout tests: little-endian values written at
// DESIGN.md offsets, independently of lnet_core's byte_order helpers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ostd::lnet::ptlrpc::test {

inline void put(std::vector<std::byte>& bytes, size_t offset, uint64_t value, size_t width)
{
    if (bytes.size() < offset + width)
        bytes.resize(offset + width);
    for (size_t i = 0; i < width; ++i)
        bytes[offset + i] = std::byte(static_cast<uint8_t>(value >> (8 * i)));
}
inline void put8(std::vector<std::byte>& b, size_t off, uint8_t v) { put(b, off, v, 1); }
inline void put16(std::vector<std::byte>& b, size_t off, uint16_t v) { put(b, off, v, 2); }
inline void put32(std::vector<std::byte>& b, size_t off, uint32_t v) { put(b, off, v, 4); }
inline void put64(std::vector<std::byte>& b, size_t off, uint64_t v) { put(b, off, v, 8); }

inline std::vector<std::byte> zeros(size_t n) { return std::vector<std::byte>(n); }

template <typename Bytes>
std::vector<std::byte> to_vector(const Bytes& bytes)
{
    return std::vector<std::byte>(std::begin(bytes), std::end(bytes));
}

}  // namespace ostd::lnet::ptlrpc::test
