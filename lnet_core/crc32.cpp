#include "lnet_core/crc32.hpp"

#include <array>

namespace ostd::lnet {
namespace {

constexpr std::array<uint32_t, 256> make_table()
{
    std::array<uint32_t, 256> table{};
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t crc = i;
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        table[i] = crc;
    }
    return table;
}

constexpr auto table = make_table();

}  // namespace

uint32_t crc32_le(uint32_t crc, std::span<const std::byte> data)
{
    for (std::byte b : data)
        crc = (crc >> 8) ^ table[(crc ^ static_cast<uint8_t>(b)) & 0xffu];
    return crc;
}

}  // namespace ostd::lnet
