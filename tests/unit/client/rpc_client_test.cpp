// RpcClient against an in-test ptlrpc server on 127.0.0.1: replies, xids,
// resends, timeouts, late and garbage replies, several calls in flight.
#include "client/rpc_client.hpp"

#include <gtest/gtest.h>

#include "tests/unit/client/ptlrpc_server.hpp"

using namespace ostd;
using namespace ostd::client;
using namespace ostd::client::testing;
using namespace std::chrono_literals;

namespace {

struct Harness {
    PtlrpcServer server;
    std::unique_ptr<UdpTransport> transport;
    RpcClient rpc;

    explicit Harness(Handler handler, std::chrono::milliseconds timeout = 1000ms, unsigned resends = 3)
        : server(std::move(handler)), transport(open_loopback(server.port())),
          rpc(*transport, RpcClientConfig{.server = server.id(), .timeout = timeout, .resends = resends})
    {
    }
    size_t live_mds() const { return transport->endpoint().table().mds().live_count(); }
    uint64_t drops(lnet::DropReason reason) const { return transport->endpoint().counters().drops.get(reason); }
};

Request ping_request()
{
    Request request;
    request.opc = ptlrpc::Opcode::obd_ping;
    return request;
}

const std::span<const std::span<const std::byte>> no_buffers{};

Handler answer_all = [](const ServedRequest& r, size_t) { return standard_answer(r); };

}  // namespace

TEST(RpcClient, PingGetsItsReplyLandedAtOffset224)
{
    Harness h(answer_all);
    auto reply = h.rpc.call(ping_request());
    ASSERT_TRUE(reply) << reply.error().detail;
    EXPECT_EQ(reply->status(), 0);
    EXPECT_EQ(reply->body.type, ptlrpc::MsgType::reply);
    EXPECT_EQ(reply->body.opc, 400u);
    EXPECT_EQ(reply->attempts, 1u);
    EXPECT_EQ(reply->xid % xid_step, 0u);
    EXPECT_EQ(reply->message.bufcount, 1u);

    auto seen = h.server.requests();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_TRUE(seen[0].valid);
    EXPECT_EQ(seen[0].xid, reply->xid);
    EXPECT_EQ(seen[0].peer, h.transport->self());
    EXPECT_EQ(seen[0].msg_flags & ptlrpc::msghdr_at_support, ptlrpc::msghdr_at_support);
    EXPECT_EQ(seen[0].body.type, ptlrpc::MsgType::request);
    EXPECT_EQ(seen[0].body.version, ptlrpc::obd_version);
    EXPECT_EQ(seen[0].body.flags & ptlrpc::msg_resent, 0u);
    EXPECT_EQ(seen[0].body.handle, 0u);  // not connected
    EXPECT_EQ(seen[0].body.last_xid, reply->xid - xid_step);

    EXPECT_EQ(h.live_mds(), 0u);  // the reply MD consumed, the request MD sent
    EXPECT_EQ(h.transport->endpoint().counters().drops.total(), 0u);
    EXPECT_EQ(h.rpc.counters().replies.get(), 1u);
}

TEST(RpcClient, XidsStepBy128FromATimeBasedStart)
{
    uint64_t before = time_based_first_xid();
    Harness h(answer_all);
    uint64_t after = time_based_first_xid();
    uint64_t first = h.rpc.next_xid();
    EXPECT_GE(first, before);
    EXPECT_LE(first, after);
    EXPECT_EQ(first % xid_step, 0u);
    auto a = h.rpc.call(ping_request());
    auto b = h.rpc.call(ping_request());
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->xid, first);
    EXPECT_EQ(b->xid, first + xid_step);
    EXPECT_EQ(h.server.requests().at(1).body.last_xid, first);  // a's reply is in
}

TEST(RpcClient, ExplicitFirstXidIsRoundedUpToTheStep)
{
    PtlrpcServer server;
    auto transport = open_loopback(server.port());
    RpcClient rpc(*transport, RpcClientConfig{.server = server.id(), .first_xid = 1000});
    EXPECT_EQ(rpc.next_xid(), 1024u);
}

TEST(RpcClient, DroppedFirstCopyIsRecoveredByAResendWithTheSameXid)
{
    Harness h([](const ServedRequest& r, size_t index) {
        Answer answer = standard_answer(r);
        answer.drop = index == 0;
        return answer;
    }, 100ms);
    auto start = std::chrono::steady_clock::now();
    auto reply = h.rpc.call(ping_request());
    ASSERT_TRUE(reply) << reply.error().detail;
    EXPECT_GE(std::chrono::steady_clock::now() - start, 100ms);
    EXPECT_EQ(reply->attempts, 2u);

    auto seen = h.server.requests();
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].xid, reply->xid);
    EXPECT_EQ(seen[1].xid, reply->xid);
    EXPECT_EQ(seen[0].body.flags & ptlrpc::msg_resent, 0u);
    EXPECT_EQ(seen[1].body.flags & ptlrpc::msg_resent, ptlrpc::msg_resent);
    EXPECT_EQ(h.rpc.counters().resends.get(), 1u);
    EXPECT_EQ(h.live_mds(), 0u);
}

TEST(RpcClient, GivesUpAfterEveryAttemptWithASentenceSayingSo)
{
    Harness h([](const ServedRequest&, size_t) { return Answer{.drop = true}; }, 50ms, 3);
    auto start = std::chrono::steady_clock::now();
    auto reply = h.rpc.call(ping_request());
    auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().code, RpcErrc::timeout);
    EXPECT_EQ(reply.error().detail, "OBD_PING to 127.0.0.1@tcp: no reply after 4 attempts (50 ms each; reply buffer still posted)");
    EXPECT_GE(elapsed, 200ms);
    EXPECT_LT(elapsed, 2000ms);
    EXPECT_TRUE(eventually([&] { return h.server.requests().size() == 4; }));
    auto seen = h.server.requests();
    ASSERT_EQ(seen.size(), 4u);
    for (size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(seen[i].xid, seen[0].xid);
        EXPECT_EQ(seen[i].body.flags & ptlrpc::msg_resent, i == 0 ? 0u : ptlrpc::msg_resent);
    }
    EXPECT_EQ(h.live_mds(), 0u);  // the reply ME is gone with the call
    EXPECT_EQ(h.rpc.in_flight(), 0u);
    EXPECT_EQ(h.rpc.counters().timeouts.get(), 1u);
}

TEST(RpcClient, NoResendsMeansOneAttempt)
{
    Harness h([](const ServedRequest&, size_t) { return Answer{.drop = true}; }, 30ms, 0);
    auto reply = h.rpc.call(ping_request());
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().detail, "OBD_PING to 127.0.0.1@tcp: no reply after 1 attempt (30 ms each; reply buffer still posted)");
}

TEST(RpcClient, LateReplyAfterGivingUpIsDroppedNotDeliveredToTheNextCall)
{
    // The first request is answered at 200 ms (the client gave up at 100);
    // the second, sent at ~100 ms, is answered ~400 ms after that late reply,
    // a margin that survives a loaded machine.
    Harness h([](const ServedRequest& r, size_t index) {
        Answer answer = standard_answer(r);
        answer.params.transno = index + 1;  // which request this answers
        answer.delay = index == 0 ? 200ms : 500ms;
        return answer;
    }, 100ms, 0);
    auto first = h.rpc.call(ping_request());
    ASSERT_FALSE(first);
    EXPECT_EQ(first.error().code, RpcErrc::timeout);
    EXPECT_EQ(h.drops(lnet::DropReason::no_match), 0u);

    Request patient = ping_request();
    patient.timeout = 2000ms;
    auto second = h.rpc.call(std::move(patient));
    ASSERT_TRUE(second) << second.error().detail;
    EXPECT_EQ(second->body.transno, 2u);
    EXPECT_EQ(second->attempts, 1u);
    // The server thread counts a reply after sending it: the client may be first.
    EXPECT_TRUE(eventually([&] { return h.server.replies_sent() == 2; })) << h.server.replies_sent();
    EXPECT_EQ(h.drops(lnet::DropReason::no_match), 1u);  // the late reply to the first xid
    EXPECT_EQ(h.live_mds(), 0u);
}

TEST(RpcClient, GarbageInTheReplyIsRefusedNotDecoded)
{
    std::vector<std::byte> junk(64, std::byte{0x5a});
    Harness h([&](const ServedRequest& r, size_t index) {
        Answer answer = standard_answer(r);
        if (index == 0)
            answer.raw = junk;
        if (index == 1)  // a well-formed message that is not a reply
            answer.raw = ptlrpc::build_request(ptlrpc::Opcode::obd_ping, ptlrpc::PtlrpcBody{}, no_buffers);
        if (index == 2)  // a reply for another RPC
            answer.raw = ptlrpc::build_reply(ptlrpc::PtlrpcBody{.opc = 9}, 1, ptlrpc::ReplyParams{}, no_buffers);
        return answer;
    });
    auto garbage = h.rpc.call(ping_request());
    ASSERT_FALSE(garbage);
    EXPECT_EQ(garbage.error().code, RpcErrc::bad_reply);
    EXPECT_EQ(garbage.error().message_error, ptlrpc::MessageError::bad_magic);
    EXPECT_NE(garbage.error().detail.find("OBD_PING to 127.0.0.1@tcp: bad reply (bad_magic"), std::string::npos)
        << garbage.error().detail;

    auto request_not_reply = h.rpc.call(ping_request());
    ASSERT_FALSE(request_not_reply);
    EXPECT_EQ(request_not_reply.error().message_error, ptlrpc::MessageError::bad_message_type);

    auto other_rpc = h.rpc.call(ping_request());
    ASSERT_FALSE(other_rpc);
    EXPECT_EQ(other_rpc.error().detail, "OBD_PING to 127.0.0.1@tcp: reply is for OST_DISCONNECT");

    auto fine = h.rpc.call(ping_request());  // and the client carries on
    ASSERT_TRUE(fine) << fine.error().detail;
    EXPECT_EQ(h.rpc.counters().bad_replies.get(), 3u);
    EXPECT_EQ(h.live_mds(), 0u);
}

TEST(RpcClient, ConnectReplyWithoutConnectDataIsRefused)
{
    Harness h([](const ServedRequest&, size_t) { return Answer{}; });  // an empty reply to everything
    auto data = ptlrpc::encode_connect_data({});
    Request request;
    request.opc = ptlrpc::Opcode::ost_connect;
    request.buffers = {std::vector<std::byte>(40), std::vector<std::byte>(40), std::vector<std::byte>(8),
                       std::vector<std::byte>(data.begin(), data.end())};
    auto reply = h.rpc.call(std::move(request));
    ASSERT_EQ(h.server.requests().size(), 1u);
    EXPECT_TRUE(h.server.requests()[0].valid);
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().code, RpcErrc::bad_reply);
    EXPECT_EQ(reply.error().message_error, ptlrpc::MessageError::missing_buffer);
}

TEST(RpcClient, ReplyAtOffsetZeroIsRefused)
{
    Harness h([](const ServedRequest& r, size_t) {
        Answer answer = standard_answer(r);
        answer.offset = 0;
        return answer;
    });
    auto reply = h.rpc.call(ping_request());
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().code, RpcErrc::bad_reply);
    EXPECT_NE(reply.error().detail.find("offset 0, expected 224"), std::string::npos) << reply.error().detail;
}

TEST(RpcClient, ErrorStatusIsAReplyNotAFailure)
{
    Harness h([](const ServedRequest& r, size_t) {
        Answer answer = standard_answer(r);
        answer.params.type = ptlrpc::MsgType::err;
        answer.params.status = -19;
        return answer;
    });
    auto reply = h.rpc.call(ping_request());
    ASSERT_TRUE(reply) << reply.error().detail;
    EXPECT_EQ(reply->status(), -19);
    EXPECT_EQ(reply->body.type, ptlrpc::MsgType::err);
}

TEST(RpcClient, SeveralCallsInFlightCompleteInAnyOrderEachWithItsOwnReply)
{
    // Answers in reverse order of arrival; transno names the xid answered.
    Harness h([](const ServedRequest& r, size_t index) {
        Answer answer = standard_answer(r);
        answer.params.transno = r.xid;
        answer.delay = std::chrono::milliseconds(120 - 40 * static_cast<int>(index % 3));
        return answer;
    });
    std::vector<CallId> ids;
    for (int i = 0; i < 3; ++i) {
        auto id = h.rpc.start(ping_request());
        ASSERT_TRUE(id) << id.error().detail;
        ids.push_back(*id);
    }
    EXPECT_EQ(h.rpc.in_flight(), 3u);
    std::vector<std::pair<CallId, RpcResult>> done;
    auto deadline = std::chrono::steady_clock::now() + 3s;
    while (done.size() < 3 && std::chrono::steady_clock::now() < deadline) {
        ASSERT_TRUE(h.rpc.poll(50ms));
        for (auto& completed : h.rpc.take_completed())
            done.push_back(std::move(completed));
    }
    ASSERT_EQ(done.size(), 3u);
    for (size_t i = 0; i < 3; ++i) {
        ASSERT_TRUE(done[i].second) << done[i].second.error().detail;
        EXPECT_EQ(done[i].second->body.transno, done[i].first);
        EXPECT_EQ(done[i].second->xid, done[i].first);
        EXPECT_EQ(done[i].first, ids[2 - i]);  // the last sent was answered first
    }
    EXPECT_EQ(h.rpc.in_flight(), 0u);
    EXPECT_FALSE(h.rpc.take(ids[0]));  // taken once
    EXPECT_EQ(h.live_mds(), 0u);
}

TEST(RpcClient, DestroyingTheClientUnlinksItsReplyBuffers)
{
    Harness h([](const ServedRequest&, size_t) { return Answer{.drop = true}; });
    {
        RpcClient other(*h.transport, RpcClientConfig{.server = h.server.id()});
        ASSERT_TRUE(other.start(ping_request()));
        EXPECT_EQ(h.live_mds(), 1u);
    }
    EXPECT_EQ(h.live_mds(), 0u);
}
