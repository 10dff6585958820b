// UdpTransport: who it says it is, what it sends where, what it refuses.
// All traffic stays on 127.0.0.1.
#include "client/udp_transport.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "client/local_nid.hpp"
#include "tests/unit/client/loopback_node.hpp"

using namespace ostd;
using namespace ostd::client;
using namespace ostd::client::testing;
using namespace std::chrono_literals;

namespace {

// Polls until the transport has taken `count` datagrams or a second passed.
size_t poll_for(UdpTransport& t, size_t count)
{
    size_t taken = 0;
    for (int i = 0; i < 100 && taken < count; ++i) {
        auto n = t.poll(10ms);
        EXPECT_TRUE(n);
        taken += n ? *n : 0;
    }
    return taken;
}

lnet::Event next_event(lnet::EventQueue& eq)
{
    lnet::Event e;
    EXPECT_TRUE(eq.poll(e));
    return e;
}

// Two transports on loopback, b at a's server port.
struct TwoNodes : ::testing::Test {
    std::unique_ptr<UdpTransport> b = open_loopback(0, lnet::lustre_pid);
    std::unique_ptr<UdpTransport> a = open_loopback(b->local_address().port);
    std::vector<std::byte> a_memory = std::vector<std::byte>(64);
    std::vector<std::byte> b_memory = std::vector<std::byte>(64);

    lnet::MdHandle attach_b(uint32_t portal, int32_t threshold = lnet::threshold_infinite)
    {
        lnet::MdSpec md{b_memory, lnet::md_option::op_put, threshold, 0, true, &b->eq(), 5};
        auto h = b->endpoint().attach({portal, a->self(), 42, 0}, md, lnet::Position::after, *b);
        EXPECT_TRUE(h);
        return *h;
    }
    lnet::SendStatus put_from_a(const std::string& data, bool ack, int32_t threshold = 2)
    {
        std::memcpy(a_memory.data(), data.data(), data.size());
        lnet::MdSpec md{std::span(a_memory).first(data.size()), 0, threshold, 0, true, &a->eq(), 9};
        auto h = a->endpoint().bind(md);
        EXPECT_TRUE(h);
        return a->endpoint().put(*h, b->self(), 4, 42, {.ack = ack}, *a);
    }
};

}  // namespace

TEST(UdpTransportOpen, NidIsTheBoundAddressAndPidIsAUserPid)
{
    auto t = open_loopback(988);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->self().nid, lnet::Nid::tcp(loopback_address));
    EXPECT_EQ(t->self().pid, 0x80000000u | static_cast<uint32_t>(getpid()));
    EXPECT_EQ(t->local_address().address, loopback_address);
    EXPECT_NE(t->local_address().port, 0);
}

TEST(UdpTransportOpen, BoundToAnyTheNidIsTheSourceOfTheRouteToTheServer)
{
    UdpTransportConfig config;
    config.route_to = loopback_address;
    config.net_number = 3;
    auto t = UdpTransport::open(config);
    ASSERT_TRUE(t) << t.error().message();
    EXPECT_EQ((*t)->self().nid, lnet::Nid::tcp(loopback_address, 3));
    EXPECT_EQ((*t)->local_address().address, 0u);
}

TEST(UdpTransportOpen, BoundToAnyWithoutAPeerHasNoNidAddress)
{
    auto t = UdpTransport::open(UdpTransportConfig{});
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().code, TransportErrc::bad_config);
}

TEST(UdpTransportOpen, BindFailureNamesTheAddressAndTheErrno)
{
    UdpSocket taken = black_hole();
    UdpTransportConfig config = loopback_config(988);
    config.bind.port = taken.local().port;
    auto t = UdpTransport::open(config);
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().code, TransportErrc::bind);
    EXPECT_EQ(t.error().sys_errno, EADDRINUSE);
    std::string message = t.error().message();
    EXPECT_NE(message.find("bind 127.0.0.1:" + std::to_string(taken.local().port)), std::string::npos) << message;
    EXPECT_NE(message.find(std::strerror(EADDRINUSE)), std::string::npos) << message;
}

TEST(UdpTransportOpen, PayloadBeyondAUdpDatagramIsRefused)
{
    UdpTransportConfig config = loopback_config(988);
    config.max_payload = 70000;
    auto t = UdpTransport::open(config);
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().code, TransportErrc::bad_config);
}

TEST_F(TwoNodes, PutIsDepositedAndAcknowledged)
{
    lnet::MdHandle target = attach_b(4);
    ASSERT_EQ(put_from_a("over udp", true), lnet::SendStatus::sent);
    EXPECT_EQ(next_event(a->eq()).type, lnet::EventType::send);

    ASSERT_EQ(poll_for(*b, 1), 1u);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(b_memory.data()), 8), "over udp");
    lnet::Event put = next_event(b->eq());
    EXPECT_EQ(put.type, lnet::EventType::put);
    EXPECT_EQ(put.initiator, a->self());
    EXPECT_EQ(put.md, target);
    EXPECT_EQ(put.mlength, 8u);
    EXPECT_EQ(put.user_data, 5u);
    // b learned where a's process is, and sent the ACK there.
    EXPECT_EQ(b->peers().find(a->self()), a->local_address());
    EXPECT_EQ(b->counters().tx_datagrams.get(), 1u);

    ASSERT_EQ(poll_for(*a, 1), 1u);
    lnet::Event ack = next_event(a->eq());
    EXPECT_EQ(ack.type, lnet::EventType::ack);
    EXPECT_EQ(ack.mlength, 8u);
    EXPECT_EQ(ack.user_data, 9u);
    EXPECT_TRUE(ack.unlinked);  // SEND + ACK: threshold reached
    EXPECT_EQ(a->endpoint().table().mds().live_count(), 0u);
    EXPECT_EQ(a->counters().tx_bytes.get(), lnet::frame_overhead + 8);
}

TEST_F(TwoNodes, PutWithoutAckGetsNoAnswer)
{
    attach_b(4);
    ASSERT_EQ(put_from_a("x", false, 1), lnet::SendStatus::sent);
    ASSERT_EQ(poll_for(*b, 1), 1u);
    EXPECT_EQ(next_event(b->eq()).type, lnet::EventType::put);
    EXPECT_EQ(b->counters().tx_datagrams.get(), 0u);
    EXPECT_EQ(*a->poll(20ms), 0u);
}

TEST_F(TwoNodes, GarbageIsCountedByReasonAndTheNodeKeepsWorking)
{
    attach_b(4);
    UdpSocket rogue = black_hole();
    std::string socklnd_only(24, '\0');  // type 0: not NOOP or LNET
    std::string lnet_frame(24 + 72, '\0');
    lnet_frame[0] = '\xc1';                                   // LNET, with a header...
    std::string cut = lnet_frame.substr(0, 50);               // ...cut short
    for (const std::string& junk : {std::string("hello"), socklnd_only, cut})
        ASSERT_EQ(rogue.send_to(as_bytes(junk), b->local_address()), 0);
    ASSERT_EQ(poll_for(*b, 3), 3u);
    const auto& drops = b->endpoint().counters().drops;
    EXPECT_EQ(drops.get(lnet::DropReason::truncated_socklnd_header), 1u);
    EXPECT_EQ(drops.get(lnet::DropReason::bad_socklnd_type), 1u);
    EXPECT_EQ(drops.get(lnet::DropReason::truncated_lnet_header), 1u);
    EXPECT_EQ(b->peers().learned(), 0u);  // nothing learned from junk
    lnet::Event none;
    EXPECT_FALSE(b->eq().poll(none));

    ASSERT_EQ(put_from_a("still", true), lnet::SendStatus::sent);
    ASSERT_EQ(poll_for(*b, 1), 1u);
    EXPECT_EQ(next_event(b->eq()).type, lnet::EventType::put);
    EXPECT_EQ(drops.total(), 3u);
}

TEST_F(TwoNodes, MessageForAnotherProcessIsRefused)
{
    attach_b(4);
    std::memcpy(a_memory.data(), "x", 1);
    auto h = a->endpoint().bind({std::span(a_memory).first(1), 0, 1, 0, true, &a->eq(), 0});
    lnet::ProcessId other{b->self().nid, 777};  // right NID, wrong pid; reached at b's port
    a->peers().learn(other, b->local_address());
    ASSERT_EQ(a->endpoint().put(*h, other, 4, 42, {}, *a), lnet::SendStatus::sent);
    ASSERT_EQ(poll_for(*b, 1), 1u);
    EXPECT_EQ(b->endpoint().counters().drops.get(lnet::DropReason::wrong_destination), 1u);
    EXPECT_EQ(b->peers().learned(), 0u);
}

TEST_F(TwoNodes, FullEventQueueHoldsTheDatagramAndOffersItAgain)
{
    UdpTransportConfig config = loopback_config(0, lnet::lustre_pid);
    config.eq_capacity = 2;
    auto small = UdpTransport::open(config);
    ASSERT_TRUE(small);
    UdpTransport& c = *small.value();
    lnet::MdSpec md{b_memory, lnet::md_option::op_put | lnet::md_option::manage_remote, lnet::threshold_infinite,
                    0, true, &c.eq(), 0};
    ASSERT_TRUE(c.endpoint().attach({4, a->self(), 42, 0}, md, lnet::Position::after, c));
    a->peers().learn(c.self(), c.local_address());
    std::memcpy(a_memory.data(), "123", 3);
    for (uint32_t i = 0; i < 3; ++i) {
        auto h = a->endpoint().bind({std::span(a_memory).subspan(i, 1), 0, 1, 0, true, nullptr, 0});
        ASSERT_EQ(a->endpoint().put(*h, c.self(), 4, 42, {.remote_offset = i}, *a), lnet::SendStatus::sent);
    }
    ASSERT_EQ(poll_for(c, 2), 2u);
    EXPECT_EQ(*c.poll(20ms), 0u);  // the third is held: the queue is full
    EXPECT_EQ(c.counters().rx_held.get(), 1u);
    EXPECT_EQ(b_memory[2], std::byte{0});

    lnet::Event e;
    ASSERT_TRUE(c.eq().poll(e));
    ASSERT_TRUE(c.eq().poll(e));
    EXPECT_EQ(*c.poll(0ms), 1u);  // offered again without waiting for the socket
    EXPECT_EQ(std::string(reinterpret_cast<char*>(b_memory.data()), 3), "123");
    ASSERT_TRUE(c.eq().poll(e));
    EXPECT_EQ(e.offset, 2u);
    EXPECT_EQ(c.endpoint().counters().drops.total(), 0u);
}

TEST_F(TwoNodes, UnroutableNidFailsTheSendWithContext)
{
    std::memcpy(a_memory.data(), "x", 1);
    auto h = a->endpoint().bind({std::span(a_memory).first(1), 0, 1, 0, true, &a->eq(), 0});
    lnet::ProcessId ib{lnet::Nid::make(lnet::LndType::o2iblnd, 0, 0x0a000001), lnet::lustre_pid};
    EXPECT_EQ(a->endpoint().put(*h, ib, 4, 1, {}, *a), lnet::SendStatus::pushback);
    ASSERT_TRUE(a->last_send_error());
    EXPECT_EQ(a->last_send_error()->code, TransportErrc::unroutable);
    EXPECT_NE(a->last_send_error()->message().find("12345-10.0.0.1@o2ib"), std::string::npos)
        << a->last_send_error()->message();
    EXPECT_EQ(a->counters().tx_unroutable.get(), 1u);
    EXPECT_EQ(a->endpoint().counters().tx_failures.get(), 1u);
}

TEST_F(TwoNodes, PollWaitsForTheTimeoutWhenNothingArrives)
{
    auto start = std::chrono::steady_clock::now();
    auto n = a->poll(60ms);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 0u);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 50ms);
}
