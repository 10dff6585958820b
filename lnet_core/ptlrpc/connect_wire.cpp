#include "lnet_core/ptlrpc/connect_wire.hpp"

#include "lnet_core/byte_order.hpp"

namespace ostd::lnet::ptlrpc {

std::array<std::byte, ConnectData::size> encode_connect_data(const ConnectData& d)
{
    std::array<std::byte, ConnectData::size> out{};
    std::byte* b = out.data();
    store_le<uint64_t>(b + 0, d.connect_flags);
    store_le<uint32_t>(b + 8, d.version);
    store_le<uint32_t>(b + 12, d.grant);
    store_le<uint32_t>(b + 16, d.index);
    store_le<uint32_t>(b + 20, d.brw_size);
    store_le<uint64_t>(b + 24, d.ibits_known);
    store_le<uint8_t>(b + 32, d.grant_blkbits);
    store_le<uint8_t>(b + 33, d.grant_inobits);
    store_le<uint16_t>(b + 34, d.grant_tax_kb);
    store_le<uint32_t>(b + 36, d.grant_max_blks);
    store_le<uint64_t>(b + 40, d.transno);
    store_le<uint32_t>(b + 48, d.group);
    store_le<uint32_t>(b + 52, d.cksum_types);
    store_le<uint32_t>(b + 56, d.max_easize);
    store_le<uint32_t>(b + 60, d.instance);
    store_le<uint64_t>(b + 64, d.maxbytes);
    store_le<uint16_t>(b + 72, d.maxmodrpcs);
    store_le<uint64_t>(b + 80, d.connect_flags2);
    return out;
}

Result<ConnectData, MessageError> decode_connect_data(std::span<const std::byte> in)
{
    if (in.size() < ConnectData::size)
        return MessageError::short_buffer;
    const std::byte* b = in.data();
    ConnectData d;
    d.connect_flags = load_le<uint64_t>(b + 0);
    d.version = load_le<uint32_t>(b + 8);
    d.grant = load_le<uint32_t>(b + 12);
    d.index = load_le<uint32_t>(b + 16);
    d.brw_size = load_le<uint32_t>(b + 20);
    d.ibits_known = load_le<uint64_t>(b + 24);
    d.grant_blkbits = load_le<uint8_t>(b + 32);
    d.grant_inobits = load_le<uint8_t>(b + 33);
    d.grant_tax_kb = load_le<uint16_t>(b + 34);
    d.grant_max_blks = load_le<uint32_t>(b + 36);
    d.transno = load_le<uint64_t>(b + 40);
    d.group = load_le<uint32_t>(b + 48);
    d.cksum_types = load_le<uint32_t>(b + 52);
    d.max_easize = load_le<uint32_t>(b + 56);
    d.instance = load_le<uint32_t>(b + 60);
    d.maxbytes = load_le<uint64_t>(b + 64);
    d.maxmodrpcs = load_le<uint16_t>(b + 72);
    d.connect_flags2 = load_le<uint64_t>(b + 80);
    return d;
}

}  // namespace ostd::lnet::ptlrpc
