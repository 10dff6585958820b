// The OST I/O engine's state machine: requests in through real request
// buffers, bulk moved in pieces between two endpoints, storage behind an
// AsyncStore, replies checked as a client decodes them.
#include "control/ost/ost_io.hpp"

#include <gtest/gtest.h>

#include "tests/unit/ost/ost_io_harness.hpp"

using namespace ostd;
using namespace ostd::control::ost;
using namespace ostd::control::ost::testing;
using ptlrpc::Opcode;

namespace {

std::array<std::byte, ptlrpc::Obdo::size> obdo_of(uint64_t object, uint64_t valid = 0, uint64_t size = 0,
                                                   uint64_t blocks = 0)
{
    ptlrpc::Obdo obdo;
    obdo.valid = ptlrpc::obd_md::id | valid;
    obdo.id = object;
    obdo.size_ = size;
    obdo.blocks = blocks;
    return ptlrpc::encode_obdo(obdo);
}

struct OstIoTest : ::testing::Test {
    OstIoHarness h;

    Reply write(uint64_t object, uint64_t xid, std::initializer_list<ptlrpc::NiobufRemote> ranges,
                std::vector<std::byte>& data, uint32_t flags = 0)
    {
        Brw brw(object, ranges);
        h.post_bulk(xid, data, false);
        h.send(Opcode::ost_write, xid, {brw.body, brw.ioobj, brw.niobufs}, flags);
        h.pump();
        auto reply = h.reply();
        EXPECT_TRUE(reply);
        return reply.value_or(Reply{});
    }
    Reply read(uint64_t object, uint64_t xid, std::initializer_list<ptlrpc::NiobufRemote> ranges,
               std::vector<std::byte>& into)
    {
        Brw brw(object, ranges);
        h.post_bulk(xid, into, true);
        h.send(Opcode::ost_read, xid, {brw.body, brw.ioobj, brw.niobufs});
        h.pump();
        auto reply = h.reply();
        EXPECT_TRUE(reply);
        return reply.value_or(Reply{});
    }
};

}  // namespace

TEST_F(OstIoTest, WriteThenReadIsByteExactAcrossPiecesAndNiobufs)
{
    auto data = pattern(10000, 3);  // 8 pieces of at most 1376 bytes, two niobufs
    Reply w = write(0x51, 128, {{0, 6000, ptlrpc::obd_brw_write}, {8192, 4000, ptlrpc::obd_brw_write}}, data);
    EXPECT_EQ(w.body.type, ptlrpc::MsgType::reply);
    EXPECT_EQ(w.body.status, 0);
    ASSERT_EQ(w.buffers.size(), 2u);
    EXPECT_EQ(ptlrpc::decode_write_rcs(w.buffers[1]).value(), (std::vector<int32_t>{0, 0}));
    EXPECT_EQ(h.ost->stats().bytes_written.get(), 10000u);
    EXPECT_EQ(h.store->getattr(0x51).value().size, 12192u);

    std::vector<std::byte> back(10000);
    Reply r = read(0x51, 256, {{0, 6000, ptlrpc::obd_brw_read}, {8192, 4000, ptlrpc::obd_brw_read}}, back);
    EXPECT_EQ(r.body.status, 10000);  // bytes transferred
    EXPECT_EQ(back, data);
    EXPECT_EQ(h.ost->in_progress(), 0u);
}

TEST_F(OstIoTest, BulkPiecesNeverExceedMaxPayloadNorTheWindow)
{
    auto data = pattern(20000, 9);
    Brw brw(7, {{0, 20000, ptlrpc::obd_brw_write}});
    h.post_bulk(128, data, false);
    h.send(Opcode::ost_write, 128, {brw.body, brw.ioobj, brw.niobufs});
    h.hold_server_messages = true;  // the client hears nothing yet
    h.pump([&] { return h.held.size() >= 8; });
    h.pump([] { return true; });
    size_t gets = 0;
    for (const auto& m : h.held)
        if (const auto* get = std::get_if<lnet::GetFields>(&m.header.fields)) {
            EXPECT_LE(get->sink_length, 1376u);
            EXPECT_EQ(get->src_offset, gets * 1376);
            EXPECT_EQ(get->ptl_index, ptlrpc::portal::ost_bulk);
            EXPECT_EQ(get->match_bits, 128u);
            ++gets;
        }
    EXPECT_EQ(gets, 8u);  // the window
    h.hold_server_messages = false;
    for (auto& m : h.held)
        h.to_client.queue.push_back(std::move(m));
    h.held.clear();
    h.pump();
    ASSERT_TRUE(h.reply());
    std::vector<std::byte> back(20000);
    EXPECT_EQ(h.store->read(7, 0, back).value(), 20000u);
    EXPECT_EQ(back, data);
}

TEST_F(OstIoTest, UnknownExportIsRefusedWithENOTCONN)
{
    auto data = pattern(100, 1);
    Brw brw(1, {{0, 100, ptlrpc::obd_brw_write}});
    h.post_bulk(128, data, false);
    h.send(Opcode::ost_write, 128, {brw.body, brw.ioobj, brw.niobufs}, 0, 0x1234);
    h.pump();
    auto reply = h.reply();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->body.type, ptlrpc::MsgType::err);
    EXPECT_EQ(reply->body.status, -ENOTCONN);
    EXPECT_EQ(h.ost->stats().not_connected.get(), 1u);
    EXPECT_FALSE(h.store->getattr(1));
}

// Each refused request is counted under its reason (show objects prints them)
// and answered -EPROTO when its ptlrpc_body can be read.
TEST_F(OstIoTest, MalformedRequestsAreCountedByReasonAndAnsweredEPROTO)
{
    Brw brw(1, {{0, 100, ptlrpc::obd_brw_write}});
    h.send(Opcode::ost_write, 128, {brw.body}, 0, 0x1234);  // no ioobj, no niobufs
    h.pump();
    auto reply = h.reply();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->body.status, -EPROTO);
    h.send(static_cast<Opcode>(9999), 256, {brw.body}, 0, 0x1234);
    h.pump();
    ASSERT_TRUE(h.reply());
    const auto& malformed = h.ost->stats().malformed;
    EXPECT_EQ(malformed.get(ptlrpc::MessageError::missing_buffer), 1u);
    EXPECT_EQ(malformed.get(ptlrpc::MessageError::unknown_opcode), 1u);
    EXPECT_EQ(malformed.total(), 2u);
    EXPECT_FALSE(h.store->getattr(1));
}

TEST_F(OstIoTest, ResentWriteIsAnsweredFromTheRecordNotAppliedTwice)
{
    auto first = pattern(3000, 1);
    write(9, 128, {{0, 3000, ptlrpc::obd_brw_write}}, first);
    auto second = pattern(3000, 77);
    write(9, 256, {{0, 3000, ptlrpc::obd_brw_write}}, second);

    // The reply to xid 128 was lost: the client resends it with its data.
    size_t gets_before = h.server->counters().sent_of(lnet::MsgType::get).get();
    Reply again = write(9, 128, {{0, 3000, ptlrpc::obd_brw_write}}, first, ptlrpc::msg_resent);
    EXPECT_EQ(again.body.status, 0);
    EXPECT_EQ(h.ost->stats().resent_replayed.get(), 1u);
    EXPECT_EQ(h.server->counters().sent_of(lnet::MsgType::get).get(), gets_before);  // no bulk moved
    std::vector<std::byte> now(3000);
    h.store->read(9, 0, now);
    EXPECT_EQ(now, second);  // the later write stands
}

TEST_F(OstIoTest, LostGetRepliesTimeOutAndReleaseTheRpc)
{
    auto data = pattern(5000, 2);
    h.drop_client_replies = true;
    size_t mds_before = h.server->table().mds().live_count();
    Brw brw(4, {{0, 5000, ptlrpc::obd_brw_write}});
    h.post_bulk(128, data, false);
    h.send(Opcode::ost_write, 128, {brw.body, brw.ioobj, brw.niobufs});
    h.pump();
    EXPECT_EQ(h.ost->in_progress(), 1u);
    h.now += std::chrono::seconds(6);
    h.pump();
    EXPECT_EQ(h.ost->in_progress(), 0u);
    EXPECT_EQ(h.ost->stats().timeouts.get(), 1u);
    EXPECT_FALSE(h.reply());  // no reply: a live client resends
    EXPECT_FALSE(h.store->getattr(4));
    EXPECT_EQ(h.server->table().mds().live_count(), mds_before);  // every bulk MD unlinked
}

TEST_F(OstIoTest, ReadPastTheEndSendsWhatExistsAndNeverWrittenReadsNothing)
{
    auto data = pattern(2000, 5);
    write(11, 128, {{0, 2000, ptlrpc::obd_brw_write}}, data);
    std::vector<std::byte> back(4096);
    Reply r = read(11, 256, {{0, 4096, ptlrpc::obd_brw_read}}, back);
    EXPECT_EQ(r.body.status, 2000);
    EXPECT_TRUE(std::equal(data.begin(), data.end(), back.begin()));

    std::vector<std::byte> none(4096);
    Reply empty = read(12, 384, {{0, 4096, ptlrpc::obd_brw_read}}, none);
    EXPECT_EQ(empty.body.status, 0);
}

TEST_F(OstIoTest, PunchToEofTruncatesAndReportsTheExactSize)
{
    auto data = pattern(8000, 5);
    write(21, 128, {{0, 8000, ptlrpc::obd_brw_write}}, data);
    ASSERT_FALSE(h.sizes.empty());
    EXPECT_EQ(h.sizes.back().object, 21u);
    EXPECT_EQ(h.sizes.back().size, 8000u);
    EXPECT_FALSE(h.sizes.back().exact);

    auto body = obdo_of(21, ptlrpc::obd_md::size | ptlrpc::obd_md::blocks, 3000, objstore::object_eof);
    h.send(Opcode::ost_punch, 256, {body, {}});
    h.pump();
    auto reply = h.reply();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->body.status, 0);
    auto obdo = ptlrpc::decode_obdo(reply->buffers[0]).value();
    EXPECT_EQ(obdo.size_, 3000u);
    EXPECT_EQ(h.store->getattr(21).value().size, 3000u);
    EXPECT_EQ(h.sizes.back().size, 3000u);
    EXPECT_TRUE(h.sizes.back().exact);
}

TEST_F(OstIoTest, PunchWithoutSizeAndBlocksIsAProtocolError)
{
    auto body = obdo_of(21, ptlrpc::obd_md::size, 0, 0);
    h.send(Opcode::ost_punch, 128, {body, {}});
    h.pump();
    auto reply = h.reply();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->body.status, -EPROTO);
}

TEST_F(OstIoTest, ForwardedAttributeRpcsAreServedAndAnswered)
{
    auto data = pattern(4000, 5);
    write(31, 128, {{0, 4000, ptlrpc::obd_brw_write}}, data);
    auto body = obdo_of(31, ptlrpc::obd_md::size, 100000);
    h.send(Opcode::ost_setattr, 256, {body, {}}, 0, export_handle, ptlrpc::portal::ost_request);
    // Portal 28 has no ME on the server: take the PUT off the wire and forward it.
    auto m = std::move(h.to_server.queue.front());
    h.to_server.queue.clear();
    h.ost->serve_forwarded(m.payload, client_id, 256, h.to_client, h.now);
    h.pump();
    auto reply = h.reply();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->body.status, 0);
    EXPECT_EQ(ptlrpc::decode_obdo(reply->buffers[0]).value().size_, 100000u);
    EXPECT_EQ(h.sizes.back().size, 100000u);
    EXPECT_TRUE(h.sizes.back().exact);

    auto get = obdo_of(31);
    h.send(Opcode::ost_getattr, 384, {get, {}}, 0, export_handle, ptlrpc::portal::ost_request);
    m = std::move(h.to_server.queue.front());
    h.to_server.queue.clear();
    h.ost->serve_forwarded(m.payload, client_id, 384, h.to_client, h.now);
    h.pump();
    reply = h.reply();
    ASSERT_TRUE(reply);
    EXPECT_EQ(ptlrpc::decode_obdo(reply->buffers[0]).value().size_, 100000u);
}

TEST_F(OstIoTest, LadviseIsNotSupportedYet)
{
    auto body = obdo_of(1);
    std::vector<std::byte> hdr(32), advice(32);
    h.send(Opcode::ost_ladvise, 128, {body, hdr, advice});
    h.pump();
    auto reply = h.reply();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->body.status, -EOPNOTSUPP);
}
