// The client transport's test-only loss (datagram_loss.hpp): what is dropped
// is counted, never delivered, and the same seed drops the same datagrams.
// All traffic stays on 127.0.0.1.
#include <gtest/gtest.h>

#include <set>

#include "client/datagram_loss.hpp"
#include "client/udp_transport.hpp"
#include "tests/unit/client/loopback_node.hpp"

using namespace ostd;
using namespace ostd::client;
using namespace ostd::client::testing;
using namespace std::chrono_literals;

namespace {

constexpr uint32_t portal = 4;

std::vector<bool> draws(double rate, uint64_t seed, size_t n)
{
    LossDraw draw(rate, seed);
    std::vector<bool> out;
    for (size_t i = 0; i < n; ++i)
        out.push_back(draw.drop());
    return out;
}

size_t count_true(const std::vector<bool>& v) { return static_cast<size_t>(std::count(v.begin(), v.end(), true)); }

// Sends `count` one-byte PUTs from a to b (match bits 0..count-1) and returns
// the match bits of those b's ME took.
struct Delivery {
    std::set<uint64_t> delivered;
    uint64_t rx_dropped = 0;
    uint64_t tx_dropped = 0;
    uint64_t tx_datagrams = 0;
};

Delivery deliver(LossConfig a_loss, LossConfig b_loss, size_t count)
{
    auto b_config = loopback_config(0, lnet::lustre_pid);
    b_config.loss = b_loss;
    auto b = UdpTransport::open(b_config);
    EXPECT_TRUE(b);
    auto a_config = loopback_config((*b)->local_address().port);
    a_config.loss = a_loss;
    auto a = UdpTransport::open(a_config);
    EXPECT_TRUE(a);
    std::vector<std::byte> sink(count);
    lnet::MdSpec md{sink, lnet::md_option::op_put | lnet::md_option::truncate, lnet::threshold_infinite, 0, true,
                    &(*b)->eq(), 0};
    EXPECT_TRUE((*b)->endpoint().attach({portal, (*a)->self(), 0, ~uint64_t{0}}, md, lnet::Position::after, **b));

    std::byte one{1};
    for (size_t i = 0; i < count; ++i) {
        EXPECT_EQ((*a)->endpoint().put_bytes(std::span(&one, 1), (*b)->self(), portal, i, {}, **a),
                  lnet::SendStatus::sent);
        lnet::Event sent;
        while ((*a)->eq().poll(sent)) {
        }
    }
    Delivery out;
    out.tx_dropped = (*a)->counters().tx_dropped.get();
    out.tx_datagrams = (*a)->counters().tx_datagrams.get();
    // Every datagram that left reaches b's socket on loopback: wait for them all.
    for (int i = 0; i < 200 && (*b)->counters().rx_datagrams.get() < out.tx_datagrams; ++i) {
        EXPECT_TRUE((*b)->poll(10ms));
        lnet::Event event;
        while ((*b)->eq().poll(event))
            if (event.type == lnet::EventType::put)
                out.delivered.insert(event.match_bits);
    }
    lnet::Event event;
    while ((*b)->eq().poll(event))
        if (event.type == lnet::EventType::put)
            out.delivered.insert(event.match_bits);
    EXPECT_EQ((*b)->counters().rx_datagrams.get(), out.tx_datagrams);
    out.rx_dropped = (*b)->counters().rx_dropped.get();
    return out;
}

}  // namespace

TEST(LossDraw, RateZeroNeverDropsAndRateOneAlwaysDrops)
{
    EXPECT_EQ(count_true(draws(0, 5, 1000)), 0u);
    EXPECT_EQ(count_true(draws(1, 5, 1000)), 1000u);
}

TEST(LossDraw, TheSameSeedDrawsTheSameDecisionsAndAnotherSeedOthers)
{
    EXPECT_EQ(draws(0.05, 42, 5000), draws(0.05, 42, 5000));
    EXPECT_NE(draws(0.05, 42, 5000), draws(0.05, 43, 5000));
}

TEST(LossDraw, DropsAboutTheRate)
{
    size_t dropped = count_true(draws(0.05, 7, 100000));
    EXPECT_GT(dropped, 4500u);
    EXPECT_LT(dropped, 5500u);
}

TEST(DatagramLoss, DirectionsAreDrawnApart)
{
    DatagramLoss loss({0.5, 0.5, 9});
    std::vector<bool> tx, rx;
    for (int i = 0; i < 256; ++i) {
        tx.push_back(loss.tx.drop());
        rx.push_back(loss.rx.drop());
    }
    EXPECT_NE(tx, rx);
}

TEST(UdpTransportLoss, NoLossByDefault)
{
    Delivery d = deliver({}, {}, 50);
    EXPECT_EQ(d.delivered.size(), 50u);
    EXPECT_EQ(d.tx_dropped + d.rx_dropped, 0u);
}

TEST(UdpTransportLoss, ADroppedSendIsCountedReportedSentAndNeverArrives)
{
    Delivery d = deliver({1.0, 0, 1}, {}, 20);
    EXPECT_EQ(d.tx_dropped, 20u);
    EXPECT_EQ(d.tx_datagrams, 0u);
    EXPECT_TRUE(d.delivered.empty());
}

TEST(UdpTransportLoss, ADroppedReceiveIsCountedAndNeverDelivered)
{
    Delivery d = deliver({}, {0, 1.0, 1}, 20);
    EXPECT_EQ(d.tx_datagrams, 20u);
    EXPECT_EQ(d.rx_dropped, 20u);
    EXPECT_TRUE(d.delivered.empty());
}

TEST(UdpTransportLoss, TheSameSeedDropsTheSameDatagramsEachWay)
{
    LossConfig sender{0.2, 0, 11}, receiver{0, 0.2, 12};
    Delivery first = deliver(sender, receiver, 300);
    Delivery again = deliver(sender, receiver, 300);
    EXPECT_EQ(first.delivered, again.delivered);
    EXPECT_EQ(first.tx_dropped, again.tx_dropped);
    EXPECT_EQ(first.rx_dropped, again.rx_dropped);
    // Every datagram is either dropped (and counted) or delivered.
    EXPECT_EQ(first.delivered.size() + first.tx_dropped + first.rx_dropped, 300u);
    EXPECT_GT(first.tx_dropped, 0u);
    EXPECT_GT(first.rx_dropped, 0u);

    Delivery other = deliver({0.2, 0, 99}, receiver, 300);
    EXPECT_NE(first.delivered, other.delivered);
}
