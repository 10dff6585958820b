#include <gtest/gtest.h>

#include <map>

#include "lnet_core/ptlrpc/connect_wire.hpp"
#include "lnet_core/ptlrpc/ladvise_wire.hpp"
#include "lnet_core/ptlrpc/ldlm_wire.hpp"
#include "lnet_core/ptlrpc/ost_wire.hpp"
#include "lnet_core/ptlrpc/rpc_layout.hpp"
#include "tests/unit/ptlrpc/wire_bytes.hpp"

namespace ostd::lnet::ptlrpc {
namespace {

using namespace test;
using Buffers = std::vector<std::vector<std::byte>>;

const Opcode all_opcodes[] = {
    Opcode::ost_connect, Opcode::ost_disconnect, Opcode::obd_ping, Opcode::ost_getattr,
    Opcode::ost_setattr, Opcode::ost_sync, Opcode::ldlm_enqueue, Opcode::ost_read,
    Opcode::ost_write, Opcode::ost_punch, Opcode::ost_ladvise, Opcode::ldlm_cancel,
    Opcode::ldlm_convert, Opcode::ldlm_bl_callback, Opcode::ldlm_cp_callback, Opcode::ldlm_gl_callback,
};

std::vector<std::byte> ldlm_request_bytes()
{
    LdlmRequest r;
    r.lock_count = 1;
    r.desc.req_mode = lock_mode::pw;
    r.desc.extent = {0, 4095, 0};
    r.handles = {0x1234};
    return encode_ldlm_request(r);
}

// The request buffers of DESIGN.md 4.5, after the body.
Buffers request_buffers(Opcode opc)
{
    auto obdo = to_vector(encode_obdo(Obdo{}));
    switch (opc) {
    case Opcode::ost_connect:
        return {zeros(obd_uuid_size), zeros(obd_uuid_size), zeros(8), to_vector(encode_connect_data({}))};
    case Opcode::ost_disconnect:
    case Opcode::obd_ping:
        return {};
    case Opcode::ost_getattr:
    case Opcode::ost_setattr:
    case Opcode::ost_punch:
    case Opcode::ost_sync:
        return {obdo, {}};
    case Opcode::ost_read:
    case Opcode::ost_write: {
        ObdIoobj ioo{1, 0, 0, 2};
        NiobufRemote nb[] = {{0, 4096, obd_brw_write}, {8192, 4096, obd_brw_write}};
        return {obdo, encode_ioobjs(std::span(&ioo, 1)), encode_niobufs(nb), {}, {}};
    }
    case Opcode::ost_ladvise: {
        LuLadvise advice{ladvise::willread, 0, 0, 0, 4095, 0, 0};
        return {obdo, to_vector(encode_ladvise_hdr({ladvise_magic, 1})), encode_ladvises(std::span(&advice, 1))};
    }
    case Opcode::ldlm_enqueue:
    case Opcode::ldlm_cancel:
    case Opcode::ldlm_convert:
    case Opcode::ldlm_bl_callback:
    case Opcode::ldlm_gl_callback:
        return {ldlm_request_bytes()};
    case Opcode::ldlm_cp_callback:
        return {ldlm_request_bytes(), to_vector(encode_ost_lvb({}))};
    }
    return {};
}

Buffers reply_buffers(Opcode opc)
{
    auto obdo = to_vector(encode_obdo(Obdo{}));
    switch (opc) {
    case Opcode::ost_connect: return {to_vector(encode_connect_data({}))};
    case Opcode::ost_getattr:
    case Opcode::ost_setattr:
    case Opcode::ost_punch:
    case Opcode::ost_sync:
    case Opcode::ost_ladvise: return {obdo};
    case Opcode::ost_write: return {obdo, encode_write_rcs(std::vector<int32_t>{0, 0})};
    case Opcode::ost_read: return {obdo, {}};
    case Opcode::ldlm_enqueue: return {to_vector(encode_ldlm_reply({})), to_vector(encode_ost_lvb({}))};
    case Opcode::ldlm_convert: return {to_vector(encode_ldlm_reply({}))};
    case Opcode::ldlm_gl_callback: return {to_vector(encode_ost_lvb({}))};
    default: return {};
    }
}

std::vector<std::span<const std::byte>> spans(const Buffers& buffers)
{
    return {buffers.begin(), buffers.end()};
}

Result<PtlrpcBody, MessageError> check_request_bytes(const std::vector<std::byte>& bytes)
{
    auto msg = decode_message(bytes);
    if (!msg)
        return msg.error();
    return check_request(*msg);
}

Result<PtlrpcBody, MessageError> check_reply_bytes(const std::vector<std::byte>& bytes)
{
    auto msg = decode_message(bytes);
    if (!msg)
        return msg.error();
    return check_reply(*msg);
}

std::vector<std::byte> request(Opcode opc, const Buffers& buffers)
{
    return build_request(opc, PtlrpcBody{}, spans(buffers));
}

TEST(RpcLayout, EveryOpcodeHasALayout)
{
    for (Opcode opc : all_opcodes)
        EXPECT_NE(rpc_layout(static_cast<uint32_t>(opc)), nullptr) << opcode_name(opc);
    EXPECT_EQ(rpc_layout(5), nullptr);
}

TEST(RpcLayout, AWellFormedRequestOfEveryOpcodePasses)
{
    for (Opcode opc : all_opcodes) {
        auto checked = check_request_bytes(request(opc, request_buffers(opc)));
        ASSERT_TRUE(checked.ok()) << opcode_name(opc) << ": " << message_error_name(checked.error());
        EXPECT_EQ(checked->opc, static_cast<uint32_t>(opc));
        EXPECT_EQ(checked->type, MsgType::request);
        EXPECT_EQ(checked->version, rpc_route(opc)->version);
    }
}

TEST(RpcLayout, ARequestMissingItsLastRequiredBufferIsRefused)
{
    for (Opcode opc : all_opcodes) {
        Buffers buffers = request_buffers(opc);
        const RpcLayout* layout = rpc_layout(static_cast<uint32_t>(opc));
        size_t required = 0;
        for (size_t i = 0; i < layout->request.size(); ++i)
            if (layout->request[i].required)
                required = i + 1;
        if (required == 0)
            continue;  // DISCONNECT, PING: the body alone
        buffers.resize(required - 1);
        auto checked = check_request_bytes(request(opc, buffers));
        ASSERT_FALSE(checked.ok()) << opcode_name(opc);
        EXPECT_EQ(checked.error(), MessageError::missing_buffer) << opcode_name(opc);
    }
}

TEST(RpcLayout, ARequestWithABufferOneByteShortIsRefused)
{
    for (Opcode opc : all_opcodes) {
        const RpcLayout* layout = rpc_layout(static_cast<uint32_t>(opc));
        for (size_t i = 0; i < layout->request.size(); ++i) {
            const BufferSpec& spec = layout->request[i];
            if (!spec.required || spec.min_size == 0)
                continue;
            Buffers buffers = request_buffers(opc);
            buffers[i].resize(spec.min_size - 1);
            auto checked = check_request_bytes(request(opc, buffers));
            ASSERT_FALSE(checked.ok()) << opcode_name(opc) << " " << spec.name;
            EXPECT_EQ(checked.error(), MessageError::short_buffer) << opcode_name(opc) << " " << spec.name;
        }
    }
}

TEST(RpcLayout, OptionalBuffersMayBeAbsent)
{
    Buffers getattr = request_buffers(Opcode::ost_getattr);
    getattr.resize(1);  // no capa buffer at all
    EXPECT_TRUE(check_request_bytes(request(Opcode::ost_getattr, getattr)).ok());
    Buffers write = request_buffers(Opcode::ost_write);
    write.resize(3);  // no capa, no short_io
    EXPECT_TRUE(check_request_bytes(request(Opcode::ost_write, write)).ok());
    Buffers enqueue = request_buffers(Opcode::ldlm_enqueue);
    enqueue.push_back(to_vector(encode_ldlm_intent({it_glimpse})));
    EXPECT_TRUE(check_request_bytes(request(Opcode::ldlm_enqueue, enqueue)).ok());
    enqueue.back().resize(4);  // a present intent must be whole
    EXPECT_EQ(check_request_bytes(request(Opcode::ldlm_enqueue, enqueue)).error(), MessageError::short_buffer);
}

TEST(RpcLayout, UnknownOpcodeIsRefusedWithItsOwnReason)
{
    PtlrpcBody body;
    body.type = MsgType::request;
    body.opc = 5;  // OST_CREATE: not served
    auto encoded = encode_ptlrpc_body(body);
    auto bytes = encode_message({std::span<const std::byte>(encoded)});
    EXPECT_EQ(check_request_bytes(bytes).error(), MessageError::unknown_opcode);
}

TEST(RpcLayout, ARequestMustBeARequestWithAWholeBody)
{
    auto bytes = request(Opcode::obd_ping, {});
    put32(bytes, 40 + 8, 4713);  // pb_type of buffer 0 (at 40) = REPLY
    EXPECT_EQ(check_request_bytes(bytes).error(), MessageError::bad_message_type);
    auto short_body = zeros(100);
    EXPECT_EQ(check_request_bytes(encode_message({std::span<const std::byte>(short_body)})).error(),
              MessageError::short_body);
}

TEST(RpcLayout, AVersionOfAnotherServiceIsRefused)
{
    auto bytes = request(Opcode::ldlm_enqueue, request_buffers(Opcode::ldlm_enqueue));
    put32(bytes, 40 + 12, 0x00030003);  // pb_version of buffer 0 (at 40): OST, not DLM
    EXPECT_EQ(check_request_bytes(bytes).error(), MessageError::bad_version);
    put32(bytes, 40 + 12, 0x00040001);  // DLM with other PTLRPC_MSG_VERSION bits: Lustre's mask ignores them
    EXPECT_TRUE(check_request_bytes(bytes).ok());
}

// An ldlm_request as request_buffers makes it, with one field changed.
std::vector<std::byte> lock_request_with(size_t offset, uint32_t value)
{
    auto bytes = ldlm_request_bytes();
    put32(bytes, offset, value);
    return bytes;
}

MessageError lock_request_error(Opcode opc, const std::vector<std::byte>& ldlm_request)
{
    Buffers buffers = request_buffers(opc);
    buffers[0] = ldlm_request;
    auto checked = check_request_bytes(request(opc, buffers));
    return checked ? MessageError::count_ : checked.error();
}

TEST(RpcLayout, LockRequestsMayNotClaimMoreHandlesThanTheyCarry)
{
    for (Opcode opc : {Opcode::ldlm_enqueue, Opcode::ldlm_cancel, Opcode::ldlm_bl_callback})
        EXPECT_EQ(lock_request_error(opc, lock_request_with(4, 3)), MessageError::lock_count_overflow)
            << opcode_name(opc);
}

TEST(RpcLayout, AnEnqueueNeedsAnExtentResourceAKnownModeAndAnOrderedExtent)
{
    constexpr size_t type = 8, mode = 8 + 40, start = 8 + 48;
    EXPECT_EQ(lock_request_error(Opcode::ldlm_enqueue, lock_request_with(type, 10)), MessageError::bad_resource_type);
    for (uint32_t bad : {0u, 3u, 128u, 0x80000000u})
        EXPECT_EQ(lock_request_error(Opcode::ldlm_enqueue, lock_request_with(mode, bad)), MessageError::bad_lock_mode)
            << bad;
    EXPECT_EQ(lock_request_error(Opcode::ldlm_enqueue, lock_request_with(start, 4096)), MessageError::bad_extent);
    // A cancel's descriptor is not a lock request: only its handles count.
    EXPECT_EQ(lock_request_error(Opcode::ldlm_cancel, lock_request_with(mode, 0)), MessageError::count_);
}

TEST(RpcLayout, BrwRefusesNiobufsTheIoobjsDoNotAccountFor)
{
    Buffers buffers = request_buffers(Opcode::ost_write);
    NiobufRemote three[] = {{0, 1, 2}, {1, 1, 2}, {2, 1, 2}};
    buffers[2] = encode_niobufs(three);
    EXPECT_EQ(check_request_bytes(request(Opcode::ost_write, buffers)).error(),
              MessageError::niobuf_count_mismatch);
    buffers[2].resize(40);  // two and a half niobufs
    EXPECT_EQ(check_request_bytes(request(Opcode::ost_read, buffers)).error(), MessageError::bad_array_length);
}

TEST(RpcLayout, AWellFormedReplyOfEveryOpcodePasses)
{
    for (Opcode opc : all_opcodes) {
        PtlrpcBody req;
        req.opc = static_cast<uint32_t>(opc);
        auto bytes = build_reply(req, msghdr_at_support, {}, spans(reply_buffers(opc)));
        auto checked = check_reply_bytes(bytes);
        ASSERT_TRUE(checked.ok()) << opcode_name(opc) << ": " << message_error_name(checked.error());
        EXPECT_EQ(checked->type, MsgType::reply);
    }
}

TEST(RpcLayout, AReplyMissingItsBuffersIsRefusedUnlessItIsAnError)
{
    PtlrpcBody req;
    req.opc = static_cast<uint32_t>(Opcode::ldlm_enqueue);
    auto bare = build_reply(req, 0, {}, std::span<const std::span<const std::byte>>{});
    EXPECT_EQ(check_reply_bytes(bare).error(), MessageError::missing_buffer);
    auto failed = build_reply(req, 0, {.status = -22}, std::span<const std::span<const std::byte>>{});
    EXPECT_TRUE(check_reply_bytes(failed).ok());
    auto err = build_reply(req, 0, {.type = MsgType::err}, std::span<const std::span<const std::byte>>{});
    EXPECT_TRUE(check_reply_bytes(err).ok());
    // A glimpse answered without a lock (301) still carries ldlm_reply and the LVB.
    auto aborted = build_reply(req, 0, {.status = eldlm_lock_aborted}, std::span<const std::span<const std::byte>>{});
    EXPECT_EQ(check_reply_bytes(aborted).error(), MessageError::missing_buffer);
    EXPECT_EQ(check_reply_bytes(request(Opcode::obd_ping, {})).error(), MessageError::bad_message_type);
}

TEST(BuildRequest, SetsTypeOpcodeAndVersionAndKeepsTheCallersFields)
{
    PtlrpcBody body;
    body.handle = 0xE1;
    body.last_xid = 0x80;
    body.flags = msg_resent;
    body.mbits = 0x100;
    body.type = MsgType::reply;  // overridden
    auto bytes = build_request(Opcode::ost_write, body, spans(request_buffers(Opcode::ost_write)),
                               MessageHeader{.repsize = 4096});
    auto msg = decode_message(bytes);
    ASSERT_TRUE(msg.ok());
    EXPECT_EQ(msg->header.repsize, 4096u);
    EXPECT_EQ(msg->header.flags, msghdr_at_support);
    auto decoded = decode_ptlrpc_body(msg->buffer(0));
    EXPECT_EQ(decoded->type, MsgType::request);
    EXPECT_EQ(decoded->opc, 4u);
    EXPECT_EQ(decoded->version, ost_version);
    EXPECT_EQ(decoded->handle, 0xE1u);
    EXPECT_EQ(decoded->last_xid, 0x80u);
    EXPECT_EQ(decoded->flags, msg_resent);
    EXPECT_EQ(decoded->mbits, 0x100u);
}

TEST(BuildReply, EchoesTheRequestAndCarriesTheRepliersFields)
{
    PtlrpcBody req;
    req.opc = static_cast<uint32_t>(Opcode::ost_connect);
    req.version = obd_version;
    req.conn_cnt = 4;
    req.last_xid = 0x1000;
    req.handle = 0;
    auto ocd = encode_connect_data({});
    ReplyParams params{.status = 0, .handle = 0xEC, .transno = 9, .last_committed = 8, .op_flags = 0x4};
    for (uint32_t request_flags : {0u, msghdr_at_support}) {
        auto bytes = build_reply(req, request_flags, params, {ocd});
        auto msg = decode_message(bytes);
        ASSERT_TRUE(msg.ok());
        EXPECT_EQ(msg->header.flags, request_flags);
        EXPECT_EQ(msg->bufcount, 2u);
        auto body = decode_ptlrpc_body(msg->buffer(0));
        EXPECT_EQ(body->type, MsgType::reply);
        EXPECT_EQ(body->opc, req.opc);
        EXPECT_EQ(body->version, obd_version);
        EXPECT_EQ(body->conn_cnt, 4u);
        EXPECT_EQ(body->last_xid, 0x1000u);
        EXPECT_EQ(body->handle, 0xECu);
        EXPECT_EQ(body->transno, 9u);
        EXPECT_EQ(body->last_committed, 8u);
        EXPECT_EQ(body->op_flags, 0x4u);
    }
}

}  // namespace
}  // namespace ostd::lnet::ptlrpc
