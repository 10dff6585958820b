// The 24-byte socklnd message header that precedes every LNET message
// (DESIGN.md 4.2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "lnet_core/drop_reason.hpp"
#include "lnet_core/result.hpp"

namespace ostd::lnet {

enum class SocklndType : uint32_t { noop = 0xC0, lnet = 0xC1 };

struct SocklndHeader {
    static constexpr size_t size = 24;
    static constexpr size_t checksum_offset = 4;

    SocklndType type = SocklndType::lnet;
    uint32_t checksum = 0;            // 0 = none
    uint64_t zc_cookies[2] = {0, 0};  // cookie 1 == 1 marks a keepalive ping

    friend bool operator==(const SocklndHeader&, const SocklndHeader&) = default;
};

void encode_socklnd_header(const SocklndHeader& header, std::span<std::byte, SocklndHeader::size> out);
Result<SocklndHeader, DropReason> decode_socklnd_header(std::span<const std::byte> in);

}  // namespace ostd::lnet
