// OstSession against the in-test ptlrpc server: the export handle from
// OST_CONNECT is carried by every later request until disconnect.
#include "client/ost_session.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "tests/unit/client/ptlrpc_server.hpp"

using namespace ostd;
using namespace ostd::client;
using namespace ostd::client::testing;
using namespace std::chrono_literals;

namespace {

std::string c_string(const std::vector<std::byte>& buffer)
{
    return std::string(reinterpret_cast<const char*>(buffer.data()), strnlen(reinterpret_cast<const char*>(buffer.data()), buffer.size()));
}

}  // namespace

TEST(OstSession, ConnectGetsTheExportHandleAndLaterRequestsCarryIt)
{
    PtlrpcServer server;
    auto transport = open_loopback(server.port());
    RpcClient rpc(*transport, RpcClientConfig{.server = server.id()});
    OstSession session(rpc);

    auto connection = session.connect();
    ASSERT_TRUE(connection) << connection.error().detail;
    EXPECT_TRUE(session.connected());
    EXPECT_EQ(connection->handle, test_export_handle);
    EXPECT_EQ(rpc.export_handle(), test_export_handle);
    EXPECT_EQ(connection->data.version, ocd_version_2_15);
    EXPECT_EQ(connection->data.instance, 7u);
    EXPECT_EQ(connection->data.connect_flags, default_connect_data().connect_flags & ~ptlrpc::obd_connect::lvb_type);

    ASSERT_TRUE(session.ping());
    ASSERT_TRUE(session.disconnect());
    EXPECT_FALSE(session.connected());
    ASSERT_TRUE(session.ping());  // no export any more

    auto seen = server.requests();
    ASSERT_EQ(seen.size(), 4u);
    const ServedRequest& connect = seen[0];
    EXPECT_EQ(connect.body.opc, 8u);
    EXPECT_EQ(connect.body.version, ptlrpc::obd_version);
    EXPECT_EQ(connect.body.handle, 0u);
    ASSERT_EQ(connect.buffers.size(), 4u);
    EXPECT_EQ(connect.buffers[0].size(), 40u);
    EXPECT_EQ(c_string(connect.buffers[0]), "ostd-OST0000_UUID");
    EXPECT_EQ(c_string(connect.buffers[1]), session.client_uuid());
    EXPECT_EQ(connect.buffers[2], std::vector<std::byte>(8));
    auto asked = ptlrpc::decode_connect_data(connect.buffers[3]);
    ASSERT_TRUE(asked);
    EXPECT_EQ(*asked, default_connect_data());

    EXPECT_EQ(seen[1].body.opc, 400u);
    EXPECT_EQ(seen[1].body.handle, test_export_handle);
    EXPECT_EQ(seen[2].body.opc, 9u);
    EXPECT_EQ(seen[2].body.handle, test_export_handle);
    EXPECT_EQ(seen[3].body.handle, 0u);
}

TEST(OstSession, ClientUuidsAreRandomVersion4)
{
    std::string a = random_uuid();
    std::string b = random_uuid();
    EXPECT_NE(a, b);
    ASSERT_EQ(a.size(), 36u);
    EXPECT_EQ(a[8], '-');
    EXPECT_EQ(a[14], '4');
    EXPECT_NE(std::string("89ab").find(a[19]), std::string::npos);
}

TEST(OstSession, ConnectTimeoutNamesTheRpcTheServerAndTheAttempts)
{
    PtlrpcServer server([](const ServedRequest&, size_t) { return Answer{.drop = true}; });
    auto transport = open_loopback(server.port());
    RpcClient rpc(*transport, RpcClientConfig{.server = server.id(), .timeout = 40ms, .resends = 3});
    OstSession session(rpc);
    auto connection = session.connect();
    ASSERT_FALSE(connection);
    EXPECT_EQ(connection.error().detail, "OST_CONNECT to 127.0.0.1@tcp: no reply after 4 attempts (40 ms each; reply buffer still posted)");
    EXPECT_FALSE(session.connected());
}

TEST(OstSession, RefusedConnectReportsTheStatus)
{
    PtlrpcServer server([](const ServedRequest&, size_t) {
        Answer answer;
        answer.params.type = ptlrpc::MsgType::err;
        answer.params.status = -19;  // ENODEV: no such target
        return answer;
    });
    auto transport = open_loopback(server.port());
    RpcClient rpc(*transport, RpcClientConfig{.server = server.id()});
    OstSession session(rpc, {.target_uuid = "nosuch-OST0009_UUID"});
    auto connection = session.connect();
    ASSERT_FALSE(connection);
    EXPECT_EQ(connection.error().code, RpcErrc::refused);
    EXPECT_EQ(connection.error().status, -19);
    EXPECT_EQ(connection.error().detail, "OST_CONNECT to 127.0.0.1@tcp refused: status -19");
    EXPECT_FALSE(session.connected());
    EXPECT_EQ(rpc.export_handle(), 0u);
}
