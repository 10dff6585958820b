#include "lnet_core/socklnd_header.hpp"

#include "lnet_core/byte_order.hpp"

namespace ostd::lnet {

void encode_socklnd_header(const SocklndHeader& header, std::span<std::byte, SocklndHeader::size> out)
{
    store_le<uint32_t>(&out[0], static_cast<uint32_t>(header.type));
    store_le<uint32_t>(&out[4], header.checksum);
    store_le<uint64_t>(&out[8], header.zc_cookies[0]);
    store_le<uint64_t>(&out[16], header.zc_cookies[1]);
}

Result<SocklndHeader, DropReason> decode_socklnd_header(std::span<const std::byte> in)
{
    if (in.size() < SocklndHeader::size)
        return DropReason::truncated_socklnd_header;
    uint32_t type = load_le<uint32_t>(&in[0]);
    if (type != static_cast<uint32_t>(SocklndType::noop) &&
        type != static_cast<uint32_t>(SocklndType::lnet))
        return DropReason::bad_socklnd_type;
    SocklndHeader header;
    header.type = static_cast<SocklndType>(type);
    header.checksum = load_le<uint32_t>(&in[4]);
    header.zc_cookies[0] = load_le<uint64_t>(&in[8]);
    header.zc_cookies[1] = load_le<uint64_t>(&in[16]);
    return header;
}

}  // namespace ostd::lnet
