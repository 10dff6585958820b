// Bulk under datagram loss: a GET whose REPLY is lost, or a PUT (or its ACK)
// that is lost, is sent again after bulk_retry, so the RPC completes with the
// right bytes instead of hanging until the bulk timeout; a client that is
// gone still times out, since retries are not progress. Time is the
// harness's test clock.
#include <gtest/gtest.h>

#include "control/ost/ost_io.hpp"
#include "tests/unit/ost/ost_io_harness.hpp"

using namespace ostd;
using namespace ostd::control::ost;
using namespace ostd::control::ost::testing;
using ptlrpc::Opcode;

namespace {

constexpr auto past_retry = std::chrono::milliseconds(150);  // bulk_retry is 100 ms

std::vector<std::byte> bytes_of(size_t n, uint8_t seed)
{
    std::vector<std::byte> out(n);
    for (size_t i = 0; i < n; ++i)
        out[i] = std::byte(static_cast<uint8_t>(seed ^ (i * 13 + (i >> 7))));
    return out;
}

}  // namespace

TEST(OstBulkLoss, LostGetRepliesAreFetchedAgainAndTheWriteIsStoredOnce)
{
    OstIoHarness h;
    auto data = bytes_of(5000, 3);  // 4 pieces of at most 1376 bytes
    Brw brw(11, {{0, 5000, ptlrpc::obd_brw_write}});
    h.post_bulk(128, data, false);
    h.drop_client_replies = true;  // every REPLY to the first GETs is lost
    h.send(Opcode::ost_write, 128, {brw.body, brw.ioobj, brw.niobufs});
    h.pump();
    EXPECT_EQ(h.ost->in_progress(), 1u);
    EXPECT_FALSE(h.reply());
    EXPECT_EQ(h.ost->stats().bulk_retries.get(), 0u);  // not before bulk_retry

    h.drop_client_replies = false;
    h.now += past_retry;
    h.pump();
    EXPECT_EQ(h.ost->stats().bulk_retries.get(), 4u);
    EXPECT_EQ(h.ost->in_progress(), 0u) << "failures " << h.ost->stats().bulk_failures.get() << " timeouts "
                                        << h.ost->stats().timeouts.get() << " writes " << h.ost->stats().writes.get();
    auto reply = h.reply();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->body.status, 0);
    EXPECT_EQ(h.ost->in_progress(), 0u);
    EXPECT_EQ(h.ost->stats().writes.get(), 1u);
    EXPECT_EQ(h.ost->stats().bytes_written.get(), 5000u);
    std::vector<std::byte> stored(5000);
    h.store->read(11, 0, stored);
    EXPECT_EQ(stored, data);
}

TEST(OstBulkLoss, LostReadPutsAreSentAgainAndTheClientGetsEveryByte)
{
    OstIoHarness h;
    auto data = bytes_of(4000, 9);
    h.store->write(12, 0, data);
    std::vector<std::byte> into(4000);
    Brw brw(12, {{0, 4000, ptlrpc::obd_brw_read}});
    h.post_bulk(256, into, true);
    h.send(Opcode::ost_read, 256, {brw.body, brw.ioobj, brw.niobufs});
    h.hold_server_messages = true;
    h.pump();
    ASSERT_FALSE(h.held.empty());  // the PUTs went out...
    h.held.clear();                // ...and were lost
    h.hold_server_messages = false;
    EXPECT_EQ(h.ost->in_progress(), 1u);

    h.now += past_retry;
    h.pump();
    EXPECT_EQ(h.ost->stats().bulk_retries.get(), 3u);  // 4000 bytes: 3 pieces
    auto reply = h.reply();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->body.status, 4000);
    EXPECT_EQ(into, data);
    EXPECT_EQ(h.ost->in_progress(), 0u);
}

TEST(OstBulkLoss, RetriesAreNotProgressAClientThatIsGoneTimesOut)
{
    OstIoHarness h;
    auto data = bytes_of(3000, 5);
    size_t mds_before = h.server->table().mds().live_count();
    Brw brw(13, {{0, 3000, ptlrpc::obd_brw_write}});
    h.post_bulk(384, data, false);
    h.drop_client_replies = true;  // never answers
    h.send(Opcode::ost_write, 384, {brw.body, brw.ioobj, brw.niobufs});
    h.pump();
    for (int step = 0; step < 60 && h.ost->in_progress() > 0; ++step) {
        h.now += past_retry;
        h.pump();
    }
    EXPECT_EQ(h.ost->in_progress(), 0u);
    EXPECT_EQ(h.ost->stats().timeouts.get(), 1u);
    EXPECT_GE(h.ost->stats().bulk_retries.get(), 3u * 30);  // ~33 rounds of 3 pieces within the 5 s
    EXPECT_FALSE(h.reply());
    EXPECT_FALSE(h.store->getattr(13));  // nothing stored
    EXPECT_EQ(h.server->table().mds().live_count(), mds_before);
}
