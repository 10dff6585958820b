// CRC-32 (IEEE, reflected polynomial 0xEDB88320) as socklnd computes its
// message checksum: seeded with ~0 by the caller, no final inversion.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace ostd::lnet {

uint32_t crc32_le(uint32_t crc, std::span<const std::byte> data);

}  // namespace ostd::lnet
