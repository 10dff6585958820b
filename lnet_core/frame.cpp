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

Status<DropReason> decode_frame(std::span<const std::byte> datagram, uint32_t max_payload_bytes,
                                LnetHeader& header, bool& noop)
{
    auto socklnd = decode_socklnd_header(datagram);
    if (!socklnd)
        return socklnd.error();
    noop = socklnd->type == SocklndType::noop;
    if (noop)
        return datagram.size() == SocklndHeader::size ? Status<DropReason>{} : DropReason::length_mismatch;

    if (auto decoded = decode_lnet_header(datagram.subspan(SocklndHeader::size), header); !decoded)
        return decoded.error();
    if (header.payload_length > max_payload_bytes)
        return DropReason::payload_too_long;
    if (datagram.size() != frame_overhead + header.payload_length)
        return DropReason::length_mismatch;
    if (socklnd->checksum != 0 && socklnd->checksum != socklnd_checksum(datagram))
        return DropReason::bad_checksum;
    return {};
}

Result<Frame, DropReason> decode_frame(std::span<const std::byte> datagram, uint32_t max_payload_bytes)
{
    LnetHeader header;
    bool noop = false;
    if (auto status = decode_frame(datagram, max_payload_bytes, header, noop); !status)
        return status.error();
    auto socklnd = decode_socklnd_header(datagram);
    if (noop)
        return Frame{*socklnd, std::nullopt, {}};
    return Frame{*socklnd, header, datagram.subspan(frame_overhead)};
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
