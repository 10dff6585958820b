#include "lnet_core/ptlrpc/message.hpp"

#include <algorithm>

#include "lnet_core/byte_order.hpp"

namespace ostd::lnet::ptlrpc {

size_t message_length(std::span<const uint32_t> buflens)
{
    size_t length = msg_buffers_offset(buflens.size());
    for (uint32_t len : buflens)
        length += round_up8(len);
    return length;
}

size_t message_length(std::span<const std::span<const std::byte>> buffers)
{
    size_t length = msg_buffers_offset(buffers.size());
    for (const auto& b : buffers)
        length += round_up8(b.size());
    return length;
}

size_t encode_message(std::span<const std::span<const std::byte>> buffers, std::span<std::byte> out,
                      const MessageHeader& header)
{
    if (buffers.empty() || buffers.size() > max_buffers)
        return 0;
    size_t length = message_length(buffers);
    if (out.size() < length)
        return 0;
    std::byte* m = out.data();
    std::fill_n(m, length, std::byte{0});
    store_le<uint32_t>(m + 0, static_cast<uint32_t>(buffers.size()));
    store_le<uint32_t>(m + 4, header.secflvr);
    store_le<uint32_t>(m + 8, msg_magic_v2);
    store_le<uint32_t>(m + 12, header.repsize);
    store_le<uint32_t>(m + 16, header.cksum);
    store_le<uint32_t>(m + 20, header.flags);
    // 24 lm_padding_2 (the "opc" of DESIGN 4.5) and 28 lm_padding_3 stay 0.
    size_t at = msg_buffers_offset(buffers.size());
    for (size_t i = 0; i < buffers.size(); ++i) {
        store_le<uint32_t>(m + msg_header_size + 4 * i, static_cast<uint32_t>(buffers[i].size()));
        std::copy(buffers[i].begin(), buffers[i].end(), m + at);
        at += round_up8(buffers[i].size());
    }
    return length;
}

std::vector<std::byte> encode_message(std::span<const std::span<const std::byte>> buffers,
                                      const MessageHeader& header)
{
    std::vector<std::byte> out(message_length(buffers));
    out.resize(encode_message(buffers, out, header));
    return out;
}

Result<Message, MessageError> decode_message(std::span<const std::byte> bytes)
{
    if (bytes.size() < msg_header_size)
        return MessageError::truncated_header;
    const std::byte* m = bytes.data();
    uint32_t magic = load_le<uint32_t>(m + 8);
    if (magic == msg_magic_v2_swabbed)
        return MessageError::swabbed_magic;
    if (magic != msg_magic_v2)
        return MessageError::bad_magic;
    Message msg;
    msg.bufcount = load_le<uint32_t>(m + 0);
    if (msg.bufcount == 0 || msg.bufcount > max_buffers)
        return MessageError::bad_bufcount;
    msg.header.secflvr = load_le<uint32_t>(m + 4);
    msg.header.repsize = load_le<uint32_t>(m + 12);
    msg.header.cksum = load_le<uint32_t>(m + 16);
    msg.header.flags = load_le<uint32_t>(m + 20);

    size_t at = msg_buffers_offset(msg.bufcount);
    if (bytes.size() < at)
        return MessageError::truncated_header;
    for (uint32_t i = 0; i < msg.bufcount; ++i) {
        size_t len = load_le<uint32_t>(m + msg_header_size + 4 * i);
        // Checked in 64-bit arithmetic: a u32 length near 4 GiB cannot wrap.
        if (round_up8(len) > bytes.size() - at)
            return MessageError::buffers_overrun;
        msg.buffers[i] = bytes.subspan(at, len);
        at += round_up8(len);
    }
    return msg;
}

}  // namespace ostd::lnet::ptlrpc
