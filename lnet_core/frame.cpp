#include "lnet_core/frame.hpp"

#include <cassert>
#include <cstring>

#include "lnet_core/byte_order.hpp"
#include "lnet_core/crc32.hpp"

namespace ostd::lnet {

uint32_t socklnd_checksum(std::span<const std::byte> datagram)
{
    constexpr size_t at = SocklndHeader::checksum_offset;
    constexpr std::byte zeros[4] = {};
    uint32_t crc = crc32_le(~0u, datagram.first(at));
    crc = crc32_le(crc, zeros);
    return crc32_le(crc, datagram.subspan(at + 4));
}

Result<Frame, DropReason> decode_frame(std::span<const std::byte> datagram, uint32_t max_payload_bytes)
{
    auto socklnd = decode_socklnd_header(datagram);
    if (!socklnd)
        return socklnd.error();
    Frame frame{*socklnd, std::nullopt, {}};
    if (socklnd->type == SocklndType::noop) {
        if (datagram.size() != SocklndHeader::size)
            return DropReason::length_mismatch;
        return frame;
    }

    auto header = decode_lnet_header(datagram.subspan(SocklndHeader::size));
    if (!header)
        return header.error();
    if (header->payload_length > max_payload_bytes)
        return DropReason::payload_too_long;
    if (datagram.size() != frame_overhead + header->payload_length)
        return DropReason::length_mismatch;
    if (socklnd->checksum != 0 && socklnd->checksum != socklnd_checksum(datagram))
        return DropReason::bad_checksum;
    frame.header = *header;
    frame.payload = datagram.subspan(frame_overhead);
    return frame;
}

size_t encode_frame(const LnetHeader& header, std::span<const std::byte> payload,
                    std::span<std::byte> out, EncodeOptions options)
{
    assert(header.payload_length == payload.size());
    size_t length = frame_overhead + payload.size();
    if (out.size() < length)
        return 0;
    encode_socklnd_header(SocklndHeader{}, out.first<SocklndHeader::size>());
    encode_lnet_header(header, out.subspan(SocklndHeader::size).first<LnetHeader::size>());
    if (!payload.empty())
        std::memcpy(out.data() + frame_overhead, payload.data(), payload.size());
    if (options.checksum)
        store_le<uint32_t>(out.data() + SocklndHeader::checksum_offset,
                           socklnd_checksum(out.first(length)));
    return length;
}

}  // namespace ostd::lnet
