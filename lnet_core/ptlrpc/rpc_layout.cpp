#include "lnet_core/ptlrpc/rpc_layout.hpp"

#include <vector>

#include "lnet_core/byte_order.hpp"
#include "lnet_core/ptlrpc/connect_wire.hpp"
#include "lnet_core/ptlrpc/ladvise_wire.hpp"
#include "lnet_core/ptlrpc/ldlm_wire.hpp"
#include "lnet_core/ptlrpc/ost_wire.hpp"

namespace ostd::lnet::ptlrpc {
namespace {

constexpr BufferSpec ost_body{"ost_body", Obdo::size};
constexpr BufferSpec capa{"capa", 0, false};
constexpr BufferSpec ldlm_request{"ldlm_request", LdlmRequest::min_size};
constexpr BufferSpec ldlm_reply{"ldlm_reply", LdlmReply::size};
constexpr BufferSpec ost_lvb{"ost_lvb", OstLvb::size};
constexpr BufferSpec connect_data{"obd_connect_data", ConnectData::size};

constexpr BufferSpec none[] = {{"", 0, false}};  // placeholder for empty layouts
constexpr BufferSpec body_capa[] = {ost_body, capa};
constexpr BufferSpec body_only[] = {ost_body};
constexpr BufferSpec brw_request[] = {
    ost_body,
    {"obd_ioobj", ObdIoobj::size, true, ObdIoobj::size},
    {"niobuf_remote", NiobufRemote::size, true, NiobufRemote::size},
    capa,
    {"short_io", 0, false},
};
constexpr BufferSpec write_reply[] = {ost_body, {"rcs", 4, false, 4}};
constexpr BufferSpec read_reply[] = {ost_body, {"short_io", 0, false}};
constexpr BufferSpec ladvise_request[] = {
    ost_body,
    {"ladvise_hdr", LadviseHdr::size},
    {"lu_ladvise", LuLadvise::size, true, LuLadvise::size},
};
constexpr BufferSpec connect_request[] = {
    {"target_uuid", 1}, {"client_uuid", 1}, {"connect_handle", 8}, connect_data};
constexpr BufferSpec connect_reply[] = {connect_data};
constexpr BufferSpec enqueue_request[] = {ldlm_request, {"ldlm_intent", LdlmIntent::size, false}};
constexpr BufferSpec enqueue_reply[] = {ldlm_reply, {"ost_lvb", OstLvb::size, false}};
constexpr BufferSpec lock_request[] = {ldlm_request};
constexpr BufferSpec lock_reply[] = {ldlm_reply};
constexpr BufferSpec cp_request[] = {ldlm_request, {"ost_lvb", OstLvb::size, false}};
constexpr BufferSpec gl_reply[] = {ost_lvb};

constexpr std::span<const BufferSpec> empty{none, 0};

const RpcLayout layouts[] = {
    {Opcode::ost_connect, connect_request, connect_reply},
    {Opcode::ost_disconnect, empty, empty},
    {Opcode::obd_ping, empty, empty},
    {Opcode::ost_getattr, body_capa, body_only},
    {Opcode::ost_setattr, body_capa, body_only},
    {Opcode::ost_punch, body_capa, body_only},
    {Opcode::ost_sync, body_capa, body_only},
    {Opcode::ost_read, brw_request, read_reply},
    {Opcode::ost_write, brw_request, write_reply},
    {Opcode::ost_ladvise, ladvise_request, body_only},
    {Opcode::ldlm_enqueue, enqueue_request, enqueue_reply},
    {Opcode::ldlm_convert, lock_request, lock_reply},
    {Opcode::ldlm_cancel, lock_request, empty},
    {Opcode::ldlm_bl_callback, lock_request, empty},
    {Opcode::ldlm_cp_callback, cp_request, empty},
    {Opcode::ldlm_gl_callback, lock_request, gl_reply},
};

// Checks buffers 1.. of msg against specs.
bool check_buffers(const Message& msg, std::span<const BufferSpec> specs, MessageError& error)
{
    for (size_t i = 0; i < specs.size(); ++i) {
        const BufferSpec& spec = specs[i];
        std::span<const std::byte> buf = msg.buffer(i + 1);
        bool present = i + 1 < msg.bufcount;
        if (!present || buf.empty()) {
            if (!spec.required)
                continue;
            if (!present) {
                error = MessageError::missing_buffer;
                return false;
            }
        }
        if (buf.size() < spec.min_size) {
            error = MessageError::short_buffer;
            return false;
        }
        if (spec.element_size != 0 && buf.size() % spec.element_size != 0) {
            error = MessageError::bad_array_length;
            return false;
        }
    }
    return true;
}

// OST_READ/WRITE: the ioobjs' bufcnt must account for every niobuf.
bool check_brw_counts(const Message& msg)
{
    std::span<const std::byte> ioobjs = msg.buffer(2);
    uint64_t expected = 0;
    for (size_t at = 0; at + ObdIoobj::size <= ioobjs.size(); at += ObdIoobj::size)
        expected += load_le<uint32_t>(ioobjs.data() + at + 20);
    return expected == msg.buffer(3).size() / NiobufRemote::size;
}

// Lustre compares the upper 16 bits (LUSTRE_VERSION_MASK); the low ones are
// PTLRPC_MSG_VERSION.
constexpr uint32_t version_mask = 0xffff0000;

bool is_lock_request(Opcode opc)
{
    return opc == Opcode::ldlm_enqueue || opc == Opcode::ldlm_cancel || opc == Opcode::ldlm_convert ||
           opc == Opcode::ldlm_bl_callback || opc == Opcode::ldlm_cp_callback || opc == Opcode::ldlm_gl_callback;
}

}  // namespace

const RpcLayout* rpc_layout(uint32_t opc)
{
    for (const RpcLayout& layout : layouts)
        if (static_cast<uint32_t>(layout.opc) == opc)
            return &layout;
    return nullptr;
}

Result<PtlrpcBody, MessageError> check_request(const Message& msg)
{
    auto body = decode_ptlrpc_body(msg.buffer(0));
    if (!body)
        return body.error();
    if (body->type != MsgType::request)
        return MessageError::bad_message_type;
    const RpcLayout* layout = rpc_layout(body->opc);
    if (!layout)
        return MessageError::unknown_opcode;
    if ((body->version & version_mask) != (rpc_route(layout->opc)->version & version_mask))
        return MessageError::bad_version;
    MessageError error{};
    if (!check_buffers(msg, layout->request, error))
        return error;
    if (is_lock_request(layout->opc)) {
        auto lock = check_ldlm_request(msg.buffer(1), layout->opc == Opcode::ldlm_enqueue);
        if (!lock)
            return lock.error();
    }
    bool brw = layout->opc == Opcode::ost_read || layout->opc == Opcode::ost_write;
    if (brw && !check_brw_counts(msg))
        return MessageError::niobuf_count_mismatch;
    return body;
}

Result<PtlrpcBody, MessageError> check_reply(const Message& msg)
{
    auto body = decode_ptlrpc_body(msg.buffer(0));
    if (!body)
        return body.error();
    if (body->type != MsgType::reply && body->type != MsgType::err)
        return MessageError::bad_message_type;
    const RpcLayout* layout = rpc_layout(body->opc);
    if (!layout)
        return MessageError::unknown_opcode;
    if (body->type == MsgType::err || body->status < 0)
        return body;
    MessageError error{};
    if (!check_buffers(msg, layout->reply, error))
        return error;
    return body;
}

namespace {

std::vector<std::byte> build(const PtlrpcBody& body, std::span<const std::span<const std::byte>> buffers,
                             const MessageHeader& header)
{
    auto encoded_body = encode_ptlrpc_body(body);
    std::vector<std::span<const std::byte>> all;
    all.reserve(buffers.size() + 1);
    all.emplace_back(encoded_body);
    all.insert(all.end(), buffers.begin(), buffers.end());
    return encode_message(all, header);
}

}  // namespace

std::vector<std::byte> build_request(Opcode opc, PtlrpcBody body,
                                     std::span<const std::span<const std::byte>> buffers,
                                     const MessageHeader& header)
{
    body.type = MsgType::request;
    body.opc = static_cast<uint32_t>(opc);
    auto route = rpc_route(opc);
    body.version = route ? route->version : 0;
    return build(body, buffers, header);
}

std::vector<std::byte> build_reply(const PtlrpcBody& request, uint32_t request_msg_flags,
                                   const ReplyParams& fields,
                                   std::span<const std::span<const std::byte>> buffers)
{
    PtlrpcBody body;
    body.type = fields.type;
    body.opc = request.opc;
    body.version = request.version;
    body.status = fields.status;
    body.handle = fields.handle;
    body.transno = fields.transno;
    body.last_committed = fields.last_committed;
    body.op_flags = fields.op_flags;
    body.conn_cnt = request.conn_cnt;
    body.last_xid = request.last_xid;
    MessageHeader header;
    header.flags = request_msg_flags & msghdr_at_support;
    return build(body, buffers, header);
}

}  // namespace ostd::lnet::ptlrpc
