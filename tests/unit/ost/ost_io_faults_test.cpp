// Faults on the server's side of bulk (issue 7): an export that goes while
// its RPC moves bulk loses that RPC at once (abandon: MDs unlinked, no
// reply, a write not fetched is not applied), and an event queue too small
// for a window of pieces pushes back instead of killing the RPC.
#include <gtest/gtest.h>

#include "control/ost/ost_io.hpp"
#include "tests/unit/ost/ost_io_harness.hpp"

using namespace ostd;
using namespace ostd::control::ost;
using namespace ostd::control::ost::testing;
using ptlrpc::Opcode;

namespace {

// An OST_WRITE of `memory` (or an OST_READ into it) at offset 0 of object, as a
// client sends it: its bulk MD first, then the request.
void start_brw(OstIoHarness& h, Opcode opc, uint64_t object, uint64_t xid, std::vector<std::byte>& memory)
{
    bool write = opc == Opcode::ost_write;
    Brw brw(object, {{0, static_cast<uint32_t>(memory.size()), write ? ptlrpc::obd_brw_write : ptlrpc::obd_brw_read}});
    h.post_bulk(xid, memory, !write);
    h.send(opc, xid, {brw.body, brw.ioobj, brw.niobufs});
}

// The frozen client's messages reach it after all: its answers meet unlinked MDs.
void thaw(OstIoHarness& h)
{
    h.hold_server_messages = false;
    for (auto& m : h.held)
        h.to_client.queue.push_back(std::move(m));
    h.held.clear();
    h.pump();
}

// Nothing of the RPC is left: no RPC, no bulk MD, as many MDs as when idle, no reply.
void expect_gone(OstIoHarness& h, size_t idle_mds)
{
    EXPECT_EQ(h.ost->in_progress(), 0u);
    EXPECT_EQ(h.ost->bulk_mds(), 0u);
    EXPECT_EQ(h.server->table().mds().live_count(), idle_mds);
    EXPECT_FALSE(h.reply());
    EXPECT_EQ(h.ost->stats().abandoned.get(), 1u);
    EXPECT_EQ(h.ost->stats().timeouts.get(), 0u);
}

}  // namespace

TEST(OstIoFaults, AnExportThatGoesLosesItsBulkWriteAtOnceAndNothingIsStored)
{
    OstIoHarness h;
    size_t idle_mds = h.server->table().mds().live_count();
    auto data = pattern(20000, 1);  // 15 pieces, a window of 8
    h.hold_server_messages = true;  // the client is frozen: the GETs wait
    start_brw(h, Opcode::ost_write, 21, 200, data);
    h.pump();
    ASSERT_EQ(h.ost->in_progress(), 1u);
    EXPECT_EQ(h.ost->bulk_mds(), 8u);

    EXPECT_EQ(h.ost->abandon(export_handle + 1, h.to_client, h.now), 0u);  // another client's: untouched
    EXPECT_EQ(h.ost->abandon(export_handle, h.to_client, h.now), 1u);
    thaw(h);
    expect_gone(h, idle_mds);
    EXPECT_TRUE(h.store->list().empty());
}

TEST(OstIoFaults, AnExportThatGoesLosesItsBulkReadAtOnce)
{
    OstIoHarness h;
    auto data = pattern(20000, 2);
    start_brw(h, Opcode::ost_write, 22, 300, data);
    h.pump();
    ASSERT_TRUE(h.reply());
    size_t idle_mds = h.server->table().mds().live_count();

    std::vector<std::byte> sink(20000);
    h.hold_server_messages = true;  // the PUTs wait, unacknowledged
    start_brw(h, Opcode::ost_read, 22, 301, sink);
    h.pump([&] { return h.ost->bulk_mds() > 0; });
    ASSERT_EQ(h.ost->in_progress(), 1u);

    EXPECT_EQ(h.ost->abandon(export_handle, h.to_client, h.now), 1u);
    thaw(h);
    expect_gone(h, idle_mds);
}

TEST(OstIoFaults, AnEventQueueTooSmallForTheWindowPushesBackAndTheRpcsComplete)
{
    OstIoHarness h(1376, 4);  // room for two pieces' events, a window of 8
    auto data = pattern(20000, 3);
    start_brw(h, Opcode::ost_write, 23, 400, data);
    h.pump();
    auto written = h.reply();
    ASSERT_TRUE(written);
    EXPECT_EQ(written->body.status, 0);

    std::vector<std::byte> sink(20000);
    start_brw(h, Opcode::ost_read, 23, 401, sink);
    h.pump();
    auto got = h.reply();
    ASSERT_TRUE(got);
    EXPECT_EQ(got->body.status, 20000);
    EXPECT_EQ(sink, data);
    EXPECT_GT(h.ost->stats().tx_pushbacks.get(), 0u);  // the EQ was full, and said so
    EXPECT_EQ(h.ost->stats().bulk_failures.get(), 0u);
    EXPECT_EQ(h.ost->in_progress(), 0u);
}
