// `ostio ping` through the dispatcher, in-process, against a loopback responder.
#include <gtest/gtest.h>

#include <sstream>

#include "client/ostio/commands.hpp"
#include "tests/unit/client/ostio_invocation.hpp"
#include "tests/unit/client/loopback_node.hpp"

using namespace ostd;
using namespace ostd::client;
using namespace ostd::client::ostio;
using namespace ostd::client::testing;

TEST(OstioPing, PrintsTheNidsStatusFeaturesAndRoundTrip)
{
    PingResponder responder(lnet::encode_ping_info(sample_ping_info(2)));
    Invocation run = run_ostio({"ping", "127.0.0.1@tcp", "--port", std::to_string(responder.port()), "--timeout", "2000"});
    EXPECT_EQ(run.code, exit_ok) << run.err;
    EXPECT_TRUE(contains(run.out, "peer 12345-127.0.0.1@tcp: pid 12345, features 0x3 (base,ni_status), 3 NIs"))
        << run.out;
    EXPECT_TRUE(contains(run.out, "  0@lo                  UP  msg_size 0\n")) << run.out;
    EXPECT_TRUE(contains(run.out, "  127.0.0.1@tcp         UP  msg_size 1376\n")) << run.out;
    EXPECT_TRUE(contains(run.out, "  127.0.0.2@tcp         DOWN  msg_size 1376\n")) << run.out;
    EXPECT_TRUE(contains(run.out, "reply 1: round trip ")) << run.out;
    EXPECT_EQ(run.err, "");
}

TEST(OstioPing, JsonIsOneObjectWithEveryReply)
{
    PingResponder responder;
    Invocation run = run_ostio({"ping", "127.0.0.1@tcp", "--port=" + std::to_string(responder.port()), "--count", "3",
                     "--json"});
    EXPECT_EQ(run.code, exit_ok) << run.err;
    EXPECT_EQ(run.out.rfind("{\"target\":\"12345-127.0.0.1@tcp\",\"port\":" + std::to_string(responder.port()) +
                                ",\"sent\":3,\"replied\":3,\"pid\":12345,\"features\":3,\"nis\":["
                                "{\"nid\":\"0@lo\",\"status\":\"UP\",\"msg_size\":0},"
                                "{\"nid\":\"127.0.0.1@tcp\",\"status\":\"UP\",\"msg_size\":1376}],"
                                "\"round_trip_ms\":[",
                            0),
              0u)
        << run.out;
    EXPECT_TRUE(run.out.ends_with("],\"errors\":[]}\n")) << run.out;
    EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 1);
}

TEST(OstioPing, TimeoutIsAFailureWithAClearMessage)
{
    UdpSocket silent = black_hole();
    Invocation run = run_ostio({"ping", "127.0.0.1@tcp", "--port", std::to_string(silent.local().port), "--timeout", "100"});
    EXPECT_EQ(run.code, exit_failed);
    EXPECT_EQ(run.err, "ostio ping: no reply from 127.0.0.1@tcp within 100 ms\n");
}

TEST(OstioPing, BadArgumentsAreUsageErrors)
{
    for (std::vector<std::string> args : {std::vector<std::string>{"ping"},
                                          {"ping", "not-a-nid"},
                                          {"ping", "10.0.0.1@o2ib"},
                                          {"ping", "127.0.0.1@tcp", "--port", "0"},
                                          {"ping", "127.0.0.1@tcp", "--count", "many"},
                                          {"ping", "127.0.0.1@tcp", "--verbose"},
                                          {"ping", "127.0.0.1@tcp", "127.0.0.2@tcp"}}) {
        Invocation run = run_ostio(args);
        EXPECT_EQ(run.code, exit_usage) << args.back();
        EXPECT_TRUE(run.err.starts_with("ostio ping: ")) << run.err;
        EXPECT_TRUE(contains(run.err, "usage: ostio ping NID")) << run.err;
        EXPECT_EQ(run.out, "");
    }
    EXPECT_TRUE(contains(run_ostio({"ping", "10.0.0.1@o2ib"}).err, "only tcp (IPv4) NIDs"));
    EXPECT_TRUE(contains(run_ostio({"ping", "127.0.0.1@tcp", "--port", "0"}).err,
                         "bad --port '0': expected an integer from 1 to 65535"));
}

TEST(OstioDispatch, HelpListsCommandsAndUnknownCommandsFail)
{
    Invocation help = run_ostio({"--help"});
    EXPECT_EQ(help.code, exit_ok);
    EXPECT_TRUE(contains(help.out, "usage: ostio COMMAND")) << help.out;
    EXPECT_TRUE(contains(help.out, "  ping ")) << help.out;

    Invocation ping_help = run_ostio({"ping", "--help"});
    EXPECT_EQ(ping_help.code, exit_ok);
    EXPECT_TRUE(ping_help.out.starts_with("usage: ostio ping NID")) << ping_help.out;
    EXPECT_EQ(run_ostio({"help", "ping"}).out, ping_help.out);

    Invocation unknown = run_ostio({"frobnicate"});
    EXPECT_EQ(unknown.code, exit_usage);
    EXPECT_EQ(unknown.err, "ostio: unknown command 'frobnicate' (ostio --help lists them)\n");

    Invocation none = run_ostio({});
    EXPECT_EQ(none.code, exit_usage);
    EXPECT_TRUE(contains(none.err, "usage: ostio COMMAND"));
}
