// One LNET datagram: socklnd header, lnet_hdr, payload. A datagram is exactly
// 24 + 72 + payload_length bytes (a NOOP is the 24-byte socklnd header alone).
#pragma once

#include <cstddef>
#include <optional>
#include <span>

#include "lnet_core/drop_reason.hpp"
#include "lnet_core/lnet_header.hpp"
#include "lnet_core/result.hpp"
#include "lnet_core/socklnd_header.hpp"

namespace ostd::lnet {

inline constexpr size_t frame_overhead = SocklndHeader::size + LnetHeader::size;

struct Frame {
    SocklndHeader socklnd;
    std::optional<LnetHeader> header;  // empty for a NOOP
    std::span<const std::byte> payload;
};

// Decodes and validates a whole datagram; a non-zero socklnd checksum is
// verified. Payloads longer than max_payload_bytes are refused.
Result<Frame, DropReason> decode_frame(std::span<const std::byte> datagram,
                                       uint32_t max_payload_bytes = max_payload);

// The data path's form: the LNET header decoded straight into header (left
// unspecified for a NOOP, which sets noop), nothing copied around.
Status<DropReason> decode_frame(std::span<const std::byte> datagram, uint32_t max_payload_bytes,
                                LnetHeader& header, bool& noop);

struct EncodeOptions {
    bool checksum = false;  // we send 0 (DESIGN.md 4.6); tests exercise the other side
};

// Writes socklnd header + lnet_hdr + payload into out and returns the datagram
// length, or 0 if out is too small. header.payload_length must equal payload.size().
size_t encode_frame(const LnetHeader& header, std::span<const std::byte> payload,
                    std::span<std::byte> out, EncodeOptions options = {});

// Computes the socklnd checksum of a datagram whose checksum field may be set.
uint32_t socklnd_checksum(std::span<const std::byte> datagram);

}  // namespace ostd::lnet
