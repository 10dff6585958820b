#include "lnet_core/ptlrpc/ptlrpc_body.hpp"

#include <algorithm>
#include <cstring>

#include "lnet_core/byte_order.hpp"

namespace ostd::lnet::ptlrpc {

void encode_ptlrpc_body(const PtlrpcBody& body, std::span<std::byte, PtlrpcBody::size> out)
{
    std::byte* b = out.data();
    std::fill(out.begin(), out.end(), std::byte{0});
    store_le<uint64_t>(b + 0, body.handle);
    store_le<uint32_t>(b + 8, static_cast<uint32_t>(body.type));
    store_le<uint32_t>(b + 12, body.version);
    store_le<uint32_t>(b + 16, body.opc);
    store_le<uint32_t>(b + 20, static_cast<uint32_t>(body.status));
    store_le<uint64_t>(b + 24, body.last_xid);
    store_le<uint16_t>(b + 32, body.tag);
    store_le<uint64_t>(b + 40, body.last_committed);
    store_le<uint64_t>(b + 48, body.transno);
    store_le<uint32_t>(b + 56, body.flags);
    store_le<uint32_t>(b + 60, body.op_flags);
    store_le<uint32_t>(b + 64, body.conn_cnt);
    store_le<uint32_t>(b + 68, body.timeout);
    store_le<uint32_t>(b + 72, body.service_time);
    store_le<uint32_t>(b + 76, body.limit);
    store_le<uint64_t>(b + 80, body.slv);
    for (size_t i = 0; i < body.pre_versions.size(); ++i)
        store_le<uint64_t>(b + 88 + 8 * i, body.pre_versions[i]);
    store_le<uint64_t>(b + 120, body.mbits);
    // 128..143: pb_padding64_0/1
    store_le<uint32_t>(b + 144, body.uid);
    store_le<uint32_t>(b + 148, body.gid);
    std::memcpy(b + 152, body.jobid.data(), jobid_size);
}

std::array<std::byte, PtlrpcBody::size> encode_ptlrpc_body(const PtlrpcBody& body)
{
    std::array<std::byte, PtlrpcBody::size> out;
    encode_ptlrpc_body(body, out);
    return out;
}

Result<PtlrpcBody, MessageError> decode_ptlrpc_body(std::span<const std::byte> in)
{
    if (in.size() < PtlrpcBody::size)
        return MessageError::short_body;
    const std::byte* b = in.data();
    PtlrpcBody body;
    body.handle = load_le<uint64_t>(b + 0);
    body.type = static_cast<MsgType>(load_le<uint32_t>(b + 8));
    body.version = load_le<uint32_t>(b + 12);
    body.opc = load_le<uint32_t>(b + 16);
    body.status = static_cast<int32_t>(load_le<uint32_t>(b + 20));
    body.last_xid = load_le<uint64_t>(b + 24);
    body.tag = load_le<uint16_t>(b + 32);
    body.last_committed = load_le<uint64_t>(b + 40);
    body.transno = load_le<uint64_t>(b + 48);
    body.flags = load_le<uint32_t>(b + 56);
    body.op_flags = load_le<uint32_t>(b + 60);
    body.conn_cnt = load_le<uint32_t>(b + 64);
    body.timeout = load_le<uint32_t>(b + 68);
    body.service_time = load_le<uint32_t>(b + 72);
    body.limit = load_le<uint32_t>(b + 76);
    body.slv = load_le<uint64_t>(b + 80);
    for (size_t i = 0; i < body.pre_versions.size(); ++i)
        body.pre_versions[i] = load_le<uint64_t>(b + 88 + 8 * i);
    body.mbits = load_le<uint64_t>(b + 120);
    body.uid = load_le<uint32_t>(b + 144);
    body.gid = load_le<uint32_t>(b + 148);
    std::memcpy(body.jobid.data(), b + 152, jobid_size);
    return body;
}

}  // namespace ostd::lnet::ptlrpc
