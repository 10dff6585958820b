// lustre_msg_v2 (DESIGN.md 4.5): the envelope of every ptlrpc request and
// reply. A 32-byte header, bufcount u32 lengths, then the buffers, each
// starting on an 8-byte boundary. Buffer 0 is always the ptlrpc_body.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <vector>

#include "lnet_core/ptlrpc/message_error.hpp"
#include "lnet_core/result.hpp"

namespace ostd::lnet::ptlrpc {

inline constexpr uint32_t msg_magic_v2 = 0x0BD00BD3;
inline constexpr uint32_t msg_magic_v2_swabbed = 0xD30BD00B;
inline constexpr uint32_t msghdr_at_support = 0x1;  // lm_flags: adaptive timeouts
inline constexpr size_t msg_header_size = 32;        // up to buflens[]
inline constexpr uint32_t max_buffers = 32;          // sane bound; Lustre RPCs use < 10

constexpr size_t round_up8(size_t n) { return (n + 7) & ~size_t{7}; }

// Offset of buffer 0 for a message of bufcount buffers.
constexpr size_t msg_buffers_offset(size_t bufcount) { return round_up8(msg_header_size + 4 * bufcount); }

// The header fields a sender chooses (bufcount, magic and buflens follow from the buffers).
struct MessageHeader {
    uint32_t secflvr = 0;  // no security flavour
    uint32_t repsize = 0;  // size of the reply buffer the sender posted (requests)
    uint32_t cksum = 0;
    uint32_t flags = msghdr_at_support;
};

// Bytes a message with these buffer lengths occupies (every buffer padded to 8).
size_t message_length(std::span<const uint32_t> buflens);
size_t message_length(std::span<const std::span<const std::byte>> buffers);

// Writes the message into out; returns its length, or 0 if out is too small
// or there are 0 or more than max_buffers buffers. Padding bytes are zero.
size_t encode_message(std::span<const std::span<const std::byte>> buffers, std::span<std::byte> out,
                      const MessageHeader& header = {});
std::vector<std::byte> encode_message(std::span<const std::span<const std::byte>> buffers,
                                      const MessageHeader& header = {});
inline std::vector<std::byte> encode_message(std::initializer_list<std::span<const std::byte>> buffers,
                                             const MessageHeader& header = {})
{
    return encode_message(std::span<const std::span<const std::byte>>(buffers.begin(), buffers.size()), header);
}

// A decoded message: views into the bytes it was decoded from (no copies),
// valid as long as those bytes are.
struct Message {
    MessageHeader header;
    uint32_t bufcount = 0;
    std::array<std::span<const std::byte>, max_buffers> buffers{};

    // Buffer i (its declared length, without padding); empty if i >= bufcount.
    std::span<const std::byte> buffer(size_t i) const { return i < bufcount ? buffers[i] : std::span<const std::byte>{}; }
};

// Validates magic, bufcount and buffer lengths; trailing bytes past the last
// padded buffer are allowed (Lustre allows them too).
Result<Message, MessageError> decode_message(std::span<const std::byte> bytes);

}  // namespace ostd::lnet::ptlrpc
