// LNET ping over UDP against a responder thread on 127.0.0.1.
#include "client/lnet_ping.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/client/loopback_node.hpp"

using namespace ostd;
using namespace ostd::client;
using namespace ostd::client::testing;
using namespace std::chrono_literals;

TEST(LnetPing, ReturnsThePeersPingInfoAndTheRoundTrip)
{
    lnet::PingInfo expected = sample_ping_info(2);
    PingResponder responder(lnet::encode_ping_info(expected));
    auto client = open_loopback(responder.port());
    ASSERT_TRUE(client);

    auto result = ping(*client, responder.nid(), {.timeout = 2000ms});
    ASSERT_TRUE(result) << result.error().detail;
    EXPECT_EQ(result->info, expected);
    EXPECT_EQ(result->info.nis.at(2).status, lnet::ni_status_down);
    EXPECT_GT(result->round_trip, 0ns);
    EXPECT_LT(result->round_trip, 2000ms);
    const auto& counters = responder.counters();
    EXPECT_EQ(counters.received[static_cast<size_t>(lnet::MsgType::get)].get(), 1u);
    EXPECT_TRUE(eventually([&] { return counters.sent[static_cast<size_t>(lnet::MsgType::reply)].get() == 1; }));
}

TEST(LnetPing, LeavesNoMdAndNoEventBehind)
{
    PingResponder responder;
    auto client = open_loopback(responder.port());
    for (int i = 0; i < 5; ++i) {
        auto result = ping(*client, responder.nid(), {.timeout = 2000ms});
        ASSERT_TRUE(result) << result.error().detail;
    }
    EXPECT_EQ(client->endpoint().table().mds().live_count(), 0u);
    EXPECT_EQ(client->eq().depth(), 0u);  // the ping's MD reports to its own queue
    EXPECT_EQ(client->endpoint().counters().drops.total(), 0u);
}

TEST(LnetPing, TimesOutWhenNothingAnswers)
{
    UdpSocket silent = black_hole();
    auto client = open_loopback(silent.local().port);
    auto start = std::chrono::steady_clock::now();
    auto result = ping(*client, lnet::Nid::tcp(loopback_address), {.timeout = 150ms});
    auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, PingErrc::timeout);
    EXPECT_EQ(result.error().detail, "no reply from 127.0.0.1@tcp within 150 ms");
    EXPECT_GE(elapsed, 150ms);
    EXPECT_LT(elapsed, 1500ms);
    EXPECT_EQ(client->endpoint().table().mds().live_count(), 0u);  // the reply MD is gone
    EXPECT_EQ(client->counters().tx_datagrams.get(), 1u);         // the GET did go out
}

TEST(LnetPing, SurvivesGarbageFromTheNetwork)
{
    PingResponder responder;
    auto client = open_loopback(responder.port());
    UdpSocket rogue = black_hole();
    for (const std::string& junk : {std::string("garbage"), std::string(200, '\xff')})
        ASSERT_EQ(rogue.send_to(as_bytes(junk), client->local_address()), 0);

    auto result = ping(*client, responder.nid(), {.timeout = 2000ms});
    ASSERT_TRUE(result) << result.error().detail;
    EXPECT_EQ(result->info, sample_ping_info());
    const auto& drops = client->endpoint().counters().drops;
    EXPECT_EQ(drops.get(lnet::DropReason::truncated_socklnd_header), 1u);
    EXPECT_EQ(drops.get(lnet::DropReason::bad_socklnd_type), 1u);
}

TEST(LnetPing, ReplyThatIsNotPingInfoIsRefused)
{
    std::string not_ping(64, 'z');
    PingResponder responder(std::vector<std::byte>(as_bytes(not_ping).begin(), as_bytes(not_ping).end()));
    auto client = open_loopback(responder.port());
    auto result = ping(*client, responder.nid(), {.timeout = 2000ms});
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, PingErrc::bad_reply);
    EXPECT_NE(result.error().detail.find("not ping info"), std::string::npos) << result.error().detail;
}

TEST(LnetPing, PingInfoLargerThanTheBufferIsReportedTruncated)
{
    PingResponder responder(lnet::encode_ping_info(sample_ping_info(4)));  // 5 NIs
    auto client = open_loopback(responder.port());
    auto result = ping(*client, responder.nid(), {.timeout = 2000ms, .max_nis = 3});
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, PingErrc::bad_reply);
    EXPECT_NE(result.error().detail.find("ping info from 127.0.0.1@tcp truncated: 5 NIs, room for 3"), std::string::npos)
        << result.error().detail;
}

TEST(LnetPing, WrongPidGetsNoAnswer)
{
    PingResponder responder;
    auto client = open_loopback(responder.port());
    auto result = ping(*client, responder.nid(), {.timeout = 100ms, .target_pid = 4242});
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, PingErrc::timeout);
    // The responder refused it; poll until its thread has counted the drop.
    EXPECT_TRUE(eventually([&] { return responder.counters().drops.get(lnet::DropReason::wrong_destination) == 1; }));
}

TEST(LnetPing, OnlyTcpNidsCanBePinged)
{
    auto client = open_loopback(988);
    auto result = ping(*client, lnet::Nid::make(lnet::LndType::o2iblnd, 0, 0x0a000001));
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, PingErrc::bad_target);
    EXPECT_EQ(client->counters().tx_datagrams.get(), 0u);
}

TEST(LnetPingText, StatusAndFeaturesReadLikeLustre)
{
    EXPECT_EQ(ni_status_name(lnet::ni_status_up), "UP");
    EXPECT_EQ(ni_status_name(lnet::ni_status_down), "DOWN");
    EXPECT_EQ(ni_status_name(0x1234), "0x00001234");
    EXPECT_EQ(ping_features_text(0x3), "0x3 (base,ni_status)");
    EXPECT_EQ(ping_features_text(0x18), "0x18 (multi_rail,discovery)");
    EXPECT_EQ(ping_features_text(0), "0x0");
}
