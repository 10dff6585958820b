// Which buffers each RPC's request and reply carry after the ptlrpc_body
// (DESIGN.md 4.5), a validator the server runs before touching a request, and
// the request/reply builders the client and the server share.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>
#include <vector>

#include "lnet_core/ptlrpc/message.hpp"
#include "lnet_core/ptlrpc/opcodes.hpp"
#include "lnet_core/ptlrpc/ptlrpc_body.hpp"

namespace ostd::lnet::ptlrpc {

// One buffer after the body. A buffer that is not required may be absent
// (bufcount stops before it) or empty; if present and non-empty it must hold
// min_size bytes (and whole elements, for arrays).
struct BufferSpec {
    std::string_view name;
    uint32_t min_size;
    bool required = true;
    uint32_t element_size = 0;  // non-zero: an array of elements this size
};

struct RpcLayout {
    Opcode opc;
    std::span<const BufferSpec> request;  // buffers 1.. of the request
    std::span<const BufferSpec> reply;    // buffers 1.. of a successful reply
};

// The layout of a known opcode, or nullptr.
const RpcLayout* rpc_layout(uint32_t opc);

// Server side: decodes buffer 0 and checks pb_type is REQUEST, the opcode is
// known and every buffer its layout needs is there at its minimum size. For
// OST_READ/OST_WRITE also that the ioobjs' bufcnt sum to the niobuf count.
Result<PtlrpcBody, MessageError> check_request(const Message& msg);

// Client side: pb_type REPLY or ERR, known opcode; an ERR or a negative
// status needs only the body, otherwise the opcode's reply buffers.
Result<PtlrpcBody, MessageError> check_reply(const Message& msg);

// Builds a request: body.type = REQUEST, body.opc and body.version from the
// opcode table; the caller fills handle, last_xid, flags (RESENT), mbits,
// conn_cnt, timeout, jobid... The xid is not in the message: it is the LNET
// match bits of the PUT.
std::vector<std::byte> build_request(Opcode opc, PtlrpcBody body,
                                     std::span<const std::span<const std::byte>> buffers,
                                     const MessageHeader& header = {});
inline std::vector<std::byte> build_request(Opcode opc, const PtlrpcBody& body,
                                            std::initializer_list<std::span<const std::byte>> buffers,
                                            const MessageHeader& header = {})
{
    return build_request(opc, body, std::span(buffers.begin(), buffers.size()), header);
}

// Where a reply lands in the client's reply buffer when the request's lm_flags
// has AT_SUPPORT: after the early-reply area (DESIGN.md 4.4); else at 0.
inline constexpr uint32_t at_reply_offset = 224;

// What the replier decides; everything else is copied from the request.
struct ReplyParams {
    int32_t status = 0;
    MsgType type = MsgType::reply;  // err: the request was not processed
    uint64_t handle = 0;            // the export handle, in OST_CONNECT's reply
    uint64_t transno = 0;
    uint64_t last_committed = 0;
    uint32_t op_flags = 0;          // MSG_CONNECT_* in OST_CONNECT's reply
};

// Builds a reply to request: pb_opc, pb_version, pb_conn_cnt and pb_last_xid
// are the request's; lm_flags carries AT_SUPPORT if the request's did.
std::vector<std::byte> build_reply(const PtlrpcBody& request, uint32_t request_msg_flags,
                                   const ReplyParams& fields,
                                   std::span<const std::span<const std::byte>> buffers);
inline std::vector<std::byte> build_reply(const PtlrpcBody& request, uint32_t request_msg_flags,
                                          const ReplyParams& fields,
                                          std::initializer_list<std::span<const std::byte>> buffers)
{
    return build_reply(request, request_msg_flags, fields, std::span(buffers.begin(), buffers.size()));
}

}  // namespace ostd::lnet::ptlrpc
