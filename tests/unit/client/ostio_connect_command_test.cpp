// `ostio connect` through the dispatcher, in-process, against the in-test
// ptlrpc server.
#include <gtest/gtest.h>

#include <sstream>

#include "client/ost_session.hpp"
#include "client/ostio/commands.hpp"
#include "tests/unit/client/ostio_invocation.hpp"
#include "tests/unit/client/ptlrpc_server.hpp"

using namespace ostd;
using namespace ostd::client;
using namespace ostd::client::ostio;
using namespace ostd::client::testing;

TEST(OstioConnect, ConnectsPingsAndDisconnects)
{
    PtlrpcServer server;
    Invocation run = run_ostio({"connect", "127.0.0.1@tcp", "--port", std::to_string(server.port())});
    EXPECT_EQ(run.code, exit_ok) << run.err;
    EXPECT_TRUE(contains(run.out, "target ostd-OST0000_UUID at 12345-127.0.0.1@tcp, client ")) << run.out;
    EXPECT_TRUE(contains(run.out, "connected: export handle 0x5e551000c0ffee, conn_cnt 0\n")) << run.out;
    EXPECT_TRUE(contains(run.out, "  ocd_version         0x20f0000 (2.15.0.0)\n")) << run.out;
    EXPECT_TRUE(contains(run.out, "  ocd_instance        7\n")) << run.out;
    EXPECT_TRUE(contains(run.out, "ping: round trip ")) << run.out;
    EXPECT_TRUE(contains(run.out, "disconnected\n")) << run.out;
    EXPECT_EQ(run.err, "");
    auto seen = server.requests();
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0].body.opc, 8u);
    EXPECT_EQ(seen[1].body.opc, 400u);
    EXPECT_EQ(seen[2].body.opc, 9u);
    EXPECT_EQ(seen[2].body.handle, test_export_handle);
}

TEST(OstioConnect, JsonCarriesTheHandleAndConnectData)
{
    PtlrpcServer server;
    Invocation run = run_ostio({"connect", "127.0.0.1@tcp", "--port=" + std::to_string(server.port()), "--json",
                                "--target", "fs1-OST0003_UUID"});
    EXPECT_EQ(run.code, exit_ok) << run.err;
    EXPECT_EQ(run.out.rfind("{\"target\":\"12345-127.0.0.1@tcp\",\"port\":" + std::to_string(server.port()) +
                                ",\"target_uuid\":\"fs1-OST0003_UUID\",\"client_uuid\":\"",
                            0),
              0u)
        << run.out;
    EXPECT_TRUE(contains(run.out, ",\"connected\":true,\"export_handle\":\"0x5e551000c0ffee\",\"conn_cnt\":0,"
                                  "\"connect_data\":{\"version\":34537472,\"version_text\":\"2.15.0.0\","))
        << run.out;
    EXPECT_TRUE(contains(run.out, ",\"pinged\":true,\"ping_round_trip_ms\":")) << run.out;
    EXPECT_TRUE(contains(run.out, ",\"disconnected\":true,\"errors\":[]}\n")) << run.out;
    auto seen = server.requests();
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(seen[0].buffers.at(0).data())), "fs1-OST0003_UUID");
}

TEST(OstioConnect, NoAnswerFailsWithTheRpcAndTheAttempts)
{
    PtlrpcServer server([](const ServedRequest&, size_t) { return Answer{.drop = true}; });
    Invocation run = run_ostio({"connect", "127.0.0.1@tcp", "--port", std::to_string(server.port()), "--timeout", "30",
                                "--resends", "1", "--json"});
    EXPECT_EQ(run.code, exit_failed);
    EXPECT_EQ(run.err, "ostio connect: OST_CONNECT to 127.0.0.1@tcp: no reply after 2 attempts (30 ms each; reply buffer still posted)\n");
    EXPECT_TRUE(contains(run.out, "\"connected\":false,\"pinged\":false,\"disconnected\":false,\"errors\":["
                                  "\"OST_CONNECT to 127.0.0.1@tcp: no reply after 2 attempts (30 ms each; reply buffer still posted)\"]}"))
        << run.out;
}

TEST(OstioConnect, BadArgumentsAreUsageErrors)
{
    EXPECT_EQ(run_ostio({"connect"}).code, exit_usage);
    EXPECT_EQ(run_ostio({"connect", "nonsense"}).code, exit_usage);
    EXPECT_EQ(run_ostio({"connect", "127.0.0.1@tcp", "--target", std::string(40, 'x')}).code, exit_usage);
    EXPECT_EQ(run_ostio({"connect", "127.0.0.1@tcp", "--resends", "-1"}).code, exit_usage);
}
