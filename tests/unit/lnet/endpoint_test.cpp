// The endpoint end to end: datagrams in, data deposited, events, ACK/REPLY out.
#include "lnet_core/endpoint.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "tests/unit/lnet/capture_sink.hpp"

using namespace ostd::lnet;
using ostd::lnet::testing::CaptureSink;

namespace {

const ProcessId server{Nid::tcp(0x0a000001), 12345};
const ProcessId client{Nid::tcp(0x0a000002), 0x80000007};

std::span<const std::byte> bytes(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size())); }

struct EndpointTest : ::testing::Test {
    EventQueue eq{64};
    Endpoint endpoint{EndpointConfig{server, 0xfeed, 0, max_payload, 4, 1024}};
    CaptureSink tx;
    std::vector<std::byte> memory = std::vector<std::byte>(8192);

    MdSpec md(uint32_t options, int32_t threshold = threshold_infinite, size_t offset = 0, size_t length = 1024)
    {
        return MdSpec{std::span(memory).subspan(offset, length), options, threshold, 0, true, &eq, 77};
    }
    LnetHeader header_from(ProcessId from, uint32_t payload_length)
    {
        LnetHeader h;
        h.src_nid = from.nid;
        h.src_pid = from.pid;
        h.dest_nid = server.nid;
        h.dest_pid = server.pid;
        h.payload_length = payload_length;
        return h;
    }
    ReceiveResult put(uint32_t portal, uint64_t bits, const std::string& data, WireHandle ack = WireHandle::none(),
                      uint32_t offset = 0)
    {
        LnetHeader h = header_from(client, static_cast<uint32_t>(data.size()));
        h.fields = PutFields{ack, bits, 0x1234, portal, offset};
        return endpoint.handle(h, bytes(data), tx);
    }
    Event next_event()
    {
        Event event;
        EXPECT_TRUE(eq.poll(event));
        return event;
    }
};

}  // namespace

TEST_F(EndpointTest, PutDepositsDataAndPostsAPutEvent)
{
    auto h = endpoint.attach({4, client, 128, 0}, md(md_option::op_put, 1), Position::after, tx);
    ASSERT_TRUE(h);
    EXPECT_EQ(put(4, 128, "hello").status, ReceiveStatus::delivered);
    EXPECT_EQ(std::memcmp(memory.data(), "hello", 5), 0);
    Event e = next_event();
    EXPECT_EQ(e.type, EventType::put);
    EXPECT_EQ(e.initiator, client);
    EXPECT_EQ(e.target, server);
    EXPECT_EQ(e.portal, 4u);
    EXPECT_EQ(e.match_bits, 128u);
    EXPECT_EQ(e.rlength, 5u);
    EXPECT_EQ(e.mlength, 5u);
    EXPECT_EQ(e.offset, 0u);
    EXPECT_EQ(e.hdr_data, 0x1234u);
    EXPECT_EQ(e.user_data, 77u);
    EXPECT_EQ(e.md, *h);
    EXPECT_EQ(e.data, memory.data());
    EXPECT_TRUE(e.unlinked);  // threshold 1 with auto-unlink: its last event
    EXPECT_TRUE(tx.sent.empty());  // no ACK asked for
    EXPECT_EQ(endpoint.counters().matched.get(), 1u);
    EXPECT_EQ(endpoint.counters().delivered_bytes.get(), 5u);
}

TEST_F(EndpointTest, PutWithAckWantedIsAcknowledgedUnlessTheMdDisablesAcks)
{
    endpoint.attach({4, client, 1, 0}, md(md_option::op_put), Position::after, tx);
    put(4, 1, "abc", WireHandle{9, 10});
    ASSERT_EQ(tx.sent.size(), 1u);
    const LnetHeader& ack = tx.sent[0].header;
    EXPECT_EQ(ack.type(), MsgType::ack);
    EXPECT_EQ(ack.destination(), client);
    EXPECT_EQ(ack.source(), server);
    EXPECT_EQ(std::get<AckFields>(ack.fields).dst_wmd, (WireHandle{9, 10}));
    EXPECT_EQ(std::get<AckFields>(ack.fields).match_bits, 1u);
    EXPECT_EQ(std::get<AckFields>(ack.fields).mlength, 3u);

    endpoint.attach({5, client, 1, 0}, md(md_option::op_put | md_option::ack_disable), Position::after, tx);
    put(5, 1, "abc", WireHandle{9, 10});
    EXPECT_EQ(tx.sent.size(), 1u);
}

TEST_F(EndpointTest, GetIsAnsweredWithAReplyCarryingTheMdData)
{
    std::memcpy(memory.data() + 100, "ping-info", 9);
    endpoint.attach({0, ProcessId::any(), 0x8000000000000000ull, 0},
                    md(md_option::op_get | md_option::truncate, threshold_infinite, 100, 9), Position::after, tx);
    LnetHeader h = header_from(client, 0);
    h.fields = GetFields{{5, 6}, 0x8000000000000000ull, 0, 0, 4096};
    EXPECT_EQ(endpoint.handle(h, {}, tx).status, ReceiveStatus::delivered);
    ASSERT_EQ(tx.sent.size(), 1u);
    EXPECT_EQ(tx.sent[0].header.type(), MsgType::reply);
    EXPECT_EQ(std::get<ReplyFields>(tx.sent[0].header.fields).dst_wmd, (WireHandle{5, 6}));
    EXPECT_EQ(tx.sent[0].header.payload_length, 9u);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(tx.sent[0].payload.data()), 9), "ping-info");
    Event e = next_event();
    EXPECT_EQ(e.type, EventType::get);
    EXPECT_EQ(e.rlength, 4096u);
    EXPECT_EQ(e.mlength, 9u);
}

TEST_F(EndpointTest, PutAndAckMakeTheInitiatorsEventsAndUnlinkAtThreshold)
{
    std::memcpy(memory.data(), "payload", 7);
    auto source = endpoint.bind(md(0, 2, 0, 7));  // SEND + ACK
    ASSERT_TRUE(source);
    ASSERT_EQ(endpoint.put(*source, client, 4, 640, {.ack = true, .remote_offset = 8, .hdr_data = 3}, tx),
              SendStatus::sent);
    ASSERT_EQ(tx.sent.size(), 1u);
    const auto& sent = tx.sent[0];
    EXPECT_EQ(sent.header.destination(), client);
    const auto& fields = std::get<PutFields>(sent.header.fields);
    EXPECT_EQ(fields.ack_wmd, (WireHandle{0xfeed, source->cookie}));
    EXPECT_EQ(fields.offset, 8u);
    EXPECT_EQ(fields.hdr_data, 3u);
    EXPECT_EQ(sent.payload.size(), 7u);
    Event send = next_event();
    EXPECT_EQ(send.type, EventType::send);
    EXPECT_FALSE(send.unlinked);

    LnetHeader ack = header_from(client, 0);
    ack.fields = AckFields{fields.ack_wmd, 640, 7};
    EXPECT_EQ(endpoint.handle(ack, {}, tx).status, ReceiveStatus::delivered);
    Event acked = next_event();
    EXPECT_EQ(acked.type, EventType::ack);
    EXPECT_EQ(acked.mlength, 7u);
    EXPECT_TRUE(acked.unlinked);
    // A duplicate ACK finds nothing: counted as stale.
    EXPECT_EQ(endpoint.handle(ack, {}, tx).reason, DropReason::stale_handle);
}

TEST_F(EndpointTest, ReplyLandsInTheGetMdByWireHandle)
{
    auto sink = endpoint.bind(md(0, 2, 0, 16));
    ASSERT_EQ(endpoint.get(*sink, client, 8, 77, 4096, tx), SendStatus::sent);
    const auto& get = std::get<GetFields>(tx.sent.at(0).header.fields);
    EXPECT_EQ(get.sink_length, 16u);
    EXPECT_EQ(get.src_offset, 4096u);
    EXPECT_EQ(next_event().type, EventType::send);

    LnetHeader reply = header_from(client, 5);
    reply.fields = ReplyFields{get.return_wmd};
    EXPECT_EQ(endpoint.handle(reply, bytes("world"), tx).status, ReceiveStatus::delivered);
    EXPECT_EQ(std::memcmp(memory.data(), "world", 5), 0);
    Event e = next_event();
    EXPECT_EQ(e.type, EventType::reply);
    EXPECT_EQ(e.mlength, 5u);
    EXPECT_TRUE(e.unlinked);
}

TEST_F(EndpointTest, AckOrReplyForAnotherIncarnationIsStale)
{
    auto sink = endpoint.bind(md(0, 2, 0, 16));
    LnetHeader reply = header_from(client, 1);
    reply.fields = ReplyFields{{0xdead, sink->cookie}};
    EXPECT_EQ(endpoint.handle(reply, bytes("x"), tx).reason, DropReason::stale_handle);
    EXPECT_EQ(endpoint.counters().drops.get(DropReason::stale_handle), 1u);
}

TEST_F(EndpointTest, TooBigReplyIsDroppedUnlessTheMdTruncates)
{
    auto sink = endpoint.bind(md(0, 2, 0, 4));
    LnetHeader reply = header_from(client, 5);
    reply.fields = ReplyFields{{0xfeed, sink->cookie}};
    EXPECT_EQ(endpoint.handle(reply, bytes("12345"), tx).reason, DropReason::too_long);
}

TEST_F(EndpointTest, UnmatchedPutIsDroppedAndCounted)
{
    EXPECT_EQ(put(4, 1, "x").reason, DropReason::no_match);
    EXPECT_EQ(endpoint.counters().drops.get(DropReason::no_match), 1u);
}

TEST_F(EndpointTest, MessageForAnotherNodeIsRefused)
{
    LnetHeader h = header_from(client, 0);
    h.dest_nid = Nid::tcp(0x0a000009);
    h.fields = GetFields{};
    EXPECT_EQ(endpoint.handle(h, {}, tx).reason, DropReason::wrong_destination);
}

TEST_F(EndpointTest, LazyPortalParksAPutAndDeliversItWhenABufferIsAttached)
{
    ASSERT_TRUE(endpoint.set_lazy(28, true));
    EXPECT_EQ(put(28, 1, "early", WireHandle{1, 2}).status, ReceiveStatus::delayed);
    EXPECT_EQ(endpoint.delayed(28), 1u);
    EXPECT_TRUE(tx.sent.empty());
    endpoint.attach({28, ProcessId::any(), 0, ~0ull}, md(md_option::op_put), Position::after, tx);
    EXPECT_EQ(endpoint.delayed(28), 0u);
    EXPECT_EQ(std::memcmp(memory.data(), "early", 5), 0);
    EXPECT_EQ(next_event().type, EventType::put);
    ASSERT_EQ(tx.sent.size(), 1u);  // the ACK owed since it arrived
    EXPECT_EQ(tx.sent[0].header.type(), MsgType::ack);
}

TEST_F(EndpointTest, ParkedPutsKeepTheirOrderAndTheListIsBounded)
{
    endpoint.set_lazy(28, true);
    for (std::string data : {"a", "b", "c", "d"})
        EXPECT_EQ(put(28, 1, data).status, ReceiveStatus::delayed);
    EXPECT_EQ(put(28, 1, "e").reason, DropReason::delayed_overflow);  // limit 4
    endpoint.attach({28, ProcessId::any(), 0, ~0ull}, md(md_option::op_put), Position::after, tx);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(memory.data()), 4), "abcd");
}

TEST_F(EndpointTest, ClearingLazinessDropsWhatWasParked)
{
    endpoint.set_lazy(28, true);
    put(28, 1, "a");
    put(28, 1, "b");
    endpoint.set_lazy(28, false);
    EXPECT_EQ(endpoint.delayed(28), 0u);
    EXPECT_EQ(endpoint.counters().drops.get(DropReason::lazy_cleared), 2u);
}

TEST_F(EndpointTest, UniquePortalCannotBeLazy)
{
    endpoint.attach({4, client, 1, 0}, md(md_option::op_put), Position::after, tx);
    EXPECT_FALSE(endpoint.set_lazy(4, true));
}

TEST_F(EndpointTest, FullEventQueuePushesBackWithNothingConsumed)
{
    EventQueue tiny(2);
    MdSpec spec = md(md_option::op_put, 5);
    spec.eq = &tiny;
    auto h = endpoint.attach({4, client, 1, 0}, spec, Position::after, tx);
    EXPECT_EQ(put(4, 1, "1").status, ReceiveStatus::delivered);
    EXPECT_EQ(put(4, 1, "2").status, ReceiveStatus::delivered);
    EXPECT_EQ(put(4, 1, "3", WireHandle{1, 2}).status, ReceiveStatus::pushback);
    EXPECT_EQ(endpoint.table().mds().find(*h)->threshold, 3);  // not consumed
    EXPECT_EQ(memory[2], std::byte{0});                       // not deposited
    EXPECT_TRUE(tx.sent.empty());                              // no ACK sent
    EXPECT_EQ(tiny.pushbacks(), 1u);
    EXPECT_EQ(endpoint.counters().pushbacks.get(), 1u);
    Event drained;
    ASSERT_TRUE(tiny.poll(drained));
    EXPECT_EQ(put(4, 1, "3", WireHandle{1, 2}).status, ReceiveStatus::delivered);  // offered again: taken
    EXPECT_EQ(tx.sent.size(), 1u);
}

TEST_F(EndpointTest, FullTxQueuePushesBackAGetWithNothingConsumed)
{
    auto h = endpoint.attach({0, ProcessId::any(), 1, 0}, md(md_option::op_get, 1, 0, 8), Position::after, tx);
    LnetHeader get = header_from(client, 0);
    get.fields = GetFields{{1, 2}, 1, 0, 0, 8};
    tx.refuse = true;
    EXPECT_EQ(endpoint.handle(get, {}, tx).status, ReceiveStatus::pushback);
    EXPECT_TRUE(endpoint.table().mds().find(*h));
    tx.refuse = false;
    EXPECT_EQ(endpoint.handle(get, {}, tx).status, ReceiveStatus::delivered);
    EXPECT_FALSE(endpoint.table().mds().find(*h));
}

TEST_F(EndpointTest, ParkedPutThatMeetsAFullQueueStaysParkedUntilRetried)
{
    EventQueue tiny(2);
    endpoint.set_lazy(28, true);
    for (std::string data : {"a", "b", "c"})
        put(28, 1, data);
    MdSpec spec = md(md_option::op_put);
    spec.eq = &tiny;
    endpoint.attach({28, ProcessId::any(), 0, ~0ull}, spec, Position::after, tx);
    EXPECT_EQ(endpoint.delayed(28), 1u);
    Event drained[2];
    EXPECT_EQ(tiny.poll_burst(drained), 2u);
    EXPECT_EQ(endpoint.retry_delayed(tx), 1u);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(memory.data()), 3), "abc");
}

TEST_F(EndpointTest, ExplicitUnlinkPostsAnUnlinkEvent)
{
    auto h = endpoint.attach({4, client, 1, 0}, md(md_option::op_put), Position::after, tx);
    EXPECT_EQ(endpoint.unlink(*h), UnlinkStatus::unlinked);
    Event e = next_event();
    EXPECT_EQ(e.type, EventType::unlink);
    EXPECT_TRUE(e.unlinked);
    EXPECT_EQ(e.md, *h);
    EXPECT_EQ(endpoint.unlink(*h), UnlinkStatus::stale);
}

TEST_F(EndpointTest, GetLargerThanOneDatagramIsRefused)
{
    Endpoint small{EndpointConfig{server, 1, 0, 1400, 4, 16}};
    LnetHeader get = header_from(client, 0);
    get.fields = GetFields{{}, 0, 0, 0, 1401};
    EXPECT_EQ(small.handle(get, {}, tx).reason, DropReason::payload_too_long);
}

TEST_F(EndpointTest, ReceiveDecodesDatagramsAndCountsNoops)
{
    std::vector<std::byte> datagram(24);
    encode_socklnd_header({SocklndType::noop, 0, {0, 1}}, std::span<std::byte, 24>(datagram.data(), 24));
    EXPECT_EQ(endpoint.receive(datagram, tx).status, ReceiveStatus::delivered);
    EXPECT_EQ(endpoint.counters().noops.get(), 1u);
    datagram.resize(10);
    EXPECT_EQ(endpoint.receive(datagram, tx).reason, DropReason::truncated_socklnd_header);

    endpoint.attach({4, client, 9, 0}, md(md_option::op_put), Position::after, tx);
    LnetHeader h = header_from(client, 2);
    h.fields = PutFields{WireHandle::none(), 9, 0, 4, 0};
    std::vector<std::byte> full(98);
    encode_frame(h, bytes("ok"), full);
    EXPECT_EQ(endpoint.receive(full, tx).status, ReceiveStatus::delivered);
    EXPECT_EQ(endpoint.counters().received_of(MsgType::put).get(), 1u);
}

TEST_F(EndpointTest, PutBytesSendsOncePostsNothingAndLeavesNoMd)
{
    size_t live = endpoint.table().mds().live_count();
    std::string text = "reply";
    EXPECT_EQ(endpoint.put_bytes(bytes(text), client, 4, 1280, {.remote_offset = 224}, tx), SendStatus::sent);
    ASSERT_EQ(tx.sent.size(), 1u);
    EXPECT_EQ(std::get<PutFields>(tx.sent[0].header.fields).offset, 224u);
    EXPECT_EQ(std::get<PutFields>(tx.sent[0].header.fields).match_bits, 1280u);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(tx.sent[0].payload.data()), 5), "reply");
    EXPECT_EQ(endpoint.table().mds().live_count(), live);  // gone with its SEND
    Event e;
    EXPECT_FALSE(eq.poll(e));
    tx.refuse = true;
    EXPECT_EQ(endpoint.put_bytes(bytes(text), client, 4, 1408, {}, tx), SendStatus::pushback);
    EXPECT_EQ(endpoint.table().mds().live_count(), live);  // unlinked when it could not go
}
