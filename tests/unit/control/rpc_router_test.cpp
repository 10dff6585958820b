// The control core's request path without a port: requests in, replies
// captured, exports checked.
#include "control/rpc/rpc_router.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "control/rpc/connect_service.hpp"
#include "lnet_core/ptlrpc/connect_wire.hpp"

using namespace ostd;
using namespace ostd::control;
namespace ptlrpc = ostd::lnet::ptlrpc;

namespace {

struct SentReply {
    dataplane::IncomingRpc request;
    uint32_t portal;
    bool at_support;
    std::vector<std::byte> bytes;
};

class CapturedReplies : public ReplyChannel {
public:
    void send(const dataplane::IncomingRpc& request, uint32_t portal, bool at_support,
              std::vector<std::byte> reply) override
    {
        sent.push_back({request, portal, at_support, std::move(reply)});
    }
    std::vector<SentReply> sent;
};

const lnet::ProcessId client{lnet::Nid::tcp(0x0a4d0002), 0x80000042};

struct RpcRouterTest : ::testing::Test {
    ExportTable exports{42};
    CapturedReplies replies;
    RpcRouter router{exports, replies};
    ConnectService connect{exports};
    std::vector<uint64_t> released;

    void SetUp() override
    {
        connect.attach(router);
        connect.on_disconnect([this](const Export& gone) { released.push_back(gone.handle); });
    }

    static std::span<const std::byte> text(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size() + 1)); }

    const SentReply& serve(ptlrpc::Opcode opc, uint64_t handle, std::initializer_list<std::span<const std::byte>> buffers,
                           uint64_t xid = 1280)
    {
        ptlrpc::PtlrpcBody body;
        body.opc = static_cast<uint32_t>(opc);
        body.handle = handle;
        body.version = ptlrpc::rpc_route(opc)->version;
        dataplane::IncomingRpc rpc{ptlrpc::build_request(opc, body, buffers), client, xid, 28, 0};
        size_t before = replies.sent.size();
        router.serve(rpc);
        EXPECT_EQ(replies.sent.size(), before + 1) << "no reply to " << ptlrpc::opcode_name(opc);
        return replies.sent.back();
    }
    uint64_t connect_as(const std::string& uuid)
    {
        auto data = ptlrpc::encode_connect_data(ptlrpc::ConnectData{});
        std::array<std::byte, 8> no_handle{};
        const SentReply& reply = serve(ptlrpc::Opcode::ost_connect, 0,
                                       {text("ostd-OST0000_UUID"), text(uuid), no_handle, data});
        return body_of(reply).handle;
    }
    static ptlrpc::PtlrpcBody body_of(const SentReply& reply)
    {
        auto message = ptlrpc::decode_message(reply.bytes);
        EXPECT_TRUE(message);
        auto body = ptlrpc::decode_ptlrpc_body(message->buffer(0));
        EXPECT_TRUE(body);
        return *body;
    }
};

}  // namespace

TEST_F(RpcRouterTest, ConnectMakesAnExportAndRepliesWithItsHandle)
{
    uint64_t handle = connect_as("client-1");
    EXPECT_NE(handle, 0u);
    const SentReply& reply = replies.sent.back();
    EXPECT_EQ(reply.portal, ptlrpc::portal::osc_reply);
    EXPECT_TRUE(reply.at_support);  // the request had AT_SUPPORT: the reply lands at 224
    EXPECT_EQ(reply.request.xid, 1280u);
    auto message = ptlrpc::decode_message(reply.bytes);
    ASSERT_TRUE(message);
    EXPECT_TRUE(ptlrpc::check_reply(*message));
    auto data = ptlrpc::decode_connect_data(message->buffer(1));
    ASSERT_TRUE(data);
    EXPECT_EQ(data->brw_size, 1u << 20);
    const Export* exp = exports.find(handle);
    ASSERT_NE(exp, nullptr);
    EXPECT_EQ(exp->client_uuid, "client-1");
    EXPECT_EQ(exp->peer, client);
}

TEST_F(RpcRouterTest, ReconnectKeepsTheHandleAndCountsTheConnection)
{
    uint64_t first = connect_as("client-1");
    uint64_t again = connect_as("client-1");
    EXPECT_EQ(first, again);
    EXPECT_EQ(exports.find(first)->conn_cnt, 2u);
    EXPECT_NE(connect_as("client-2"), first);
    EXPECT_EQ(exports.size(), 2u);
}

TEST_F(RpcRouterTest, PingNeedsALiveExport)
{
    uint64_t handle = connect_as("client-1");
    EXPECT_EQ(body_of(serve(ptlrpc::Opcode::obd_ping, handle, {})).status, 0);
    auto refused = body_of(serve(ptlrpc::Opcode::obd_ping, handle + 1, {}));
    EXPECT_EQ(refused.status, -ENOTCONN);
    EXPECT_EQ(refused.type, ptlrpc::MsgType::err);
    EXPECT_EQ(router.stats().refused_not_connected.get(), 1u);
}

TEST_F(RpcRouterTest, AnEvictedClientIsRefusedUntilItReconnects)
{
    uint64_t handle = connect_as("client-1");
    ASSERT_TRUE(exports.evict(handle));
    EXPECT_EQ(body_of(serve(ptlrpc::Opcode::obd_ping, handle, {})).status, -ENOTCONN);
    EXPECT_EQ(connect_as("client-1"), handle);
    EXPECT_EQ(body_of(serve(ptlrpc::Opcode::obd_ping, handle, {})).status, 0);
}

TEST_F(RpcRouterTest, DisconnectReleasesTheExport)
{
    uint64_t handle = connect_as("client-1");
    EXPECT_EQ(body_of(serve(ptlrpc::Opcode::ost_disconnect, handle, {})).status, 0);
    EXPECT_EQ(exports.find(handle), nullptr);
    EXPECT_EQ(released, std::vector<uint64_t>{handle});
    EXPECT_EQ(body_of(serve(ptlrpc::Opcode::obd_ping, handle, {})).status, -ENOTCONN);
}

TEST_F(RpcRouterTest, AnOpcodeWithoutAServiceIsRefused)
{
    uint64_t handle = connect_as("client-1");
    std::array<std::byte, 208> obdo{};
    auto reply = body_of(serve(ptlrpc::Opcode::ost_getattr, handle, {obdo, {}}));
    EXPECT_EQ(reply.status, -EOPNOTSUPP);
    EXPECT_EQ(router.stats().unsupported.get(), 1u);
}

TEST_F(RpcRouterTest, GarbageIsCountedAndUnanswerable)
{
    std::vector<std::byte> garbage(100, std::byte{0x5a});
    router.serve(dataplane::IncomingRpc{garbage, client, 128, 28, 0});
    EXPECT_TRUE(replies.sent.empty());
    EXPECT_EQ(router.stats().malformed.get(ptlrpc::MessageError::bad_magic), 1u);
}

TEST_F(RpcRouterTest, AReadableRequestWithMissingBuffersGetsEproto)
{
    auto reply = body_of(serve(ptlrpc::Opcode::ost_connect, 0, {text("ostd-OST0000_UUID")}));
    EXPECT_EQ(reply.status, -EPROTO);
    EXPECT_EQ(router.stats().malformed.get(ptlrpc::MessageError::missing_buffer), 1u);
    EXPECT_EQ(exports.size(), 0u);
}
