// The lock service without a port: requests through the router, replies and
// ASTs captured, time driven by hand.
#include "control/ldlm/ldlm_service.hpp"

#include <gtest/gtest.h>

#include <string>

#include "control/rpc/connect_service.hpp"
#include "lnet_core/ptlrpc/connect_wire.hpp"
#include "lnet_core/ptlrpc/ost_wire.hpp"

using namespace ostd;
using namespace ostd::control;
namespace ptlrpc = ostd::lnet::ptlrpc;
using namespace std::chrono_literals;

namespace {

struct Sent {
    dataplane::IncomingRpc request;
    uint32_t portal;
    std::vector<std::byte> bytes;
};

class CapturedReplies : public ReplyChannel {
public:
    void send(const dataplane::IncomingRpc& request, uint32_t portal, bool, std::vector<std::byte> reply) override
    {
        sent.push_back({request, portal, std::move(reply)});
    }
    std::vector<Sent> sent;
};

struct SentAst {
    AstTarget to;
    uint64_t xid;
    std::vector<std::byte> bytes;
    ptlrpc::PtlrpcBody body;
    ptlrpc::LdlmRequest request;
    std::vector<std::byte> lvb;  // buffer 2 (CP AST)
};

class CapturedAsts : public AstChannel {
public:
    bool send(const AstTarget& to, uint64_t xid, std::vector<std::byte> bytes) override
    {
        if (refuse)
            return false;
        SentAst ast{to, xid, std::move(bytes), {}, {}, {}};
        auto message = ptlrpc::decode_message(ast.bytes);
        EXPECT_TRUE(message);
        auto body = ptlrpc::check_request(*message);
        EXPECT_TRUE(body);
        auto request = ptlrpc::decode_ldlm_request(message->buffer(1));
        EXPECT_TRUE(request);
        ast.body = *body;
        ast.request = *request;
        auto lvb = message->buffer(2);
        ast.lvb.assign(lvb.begin(), lvb.end());
        sent.push_back(std::move(ast));
        return true;
    }
    void forget(const AstTarget&, uint64_t xid) override { forgotten.push_back(xid); }

    std::vector<SentAst> sent;
    std::vector<uint64_t> forgotten;
    bool refuse = false;
};

lnet::ProcessId peer(uint32_t n) { return {lnet::Nid::tcp(0x0a4d0000 + n), 0x80000000 + n}; }

struct EnqueueAnswer {
    ptlrpc::PtlrpcBody body;
    ptlrpc::LdlmReply reply;
    ptlrpc::OstLvb lvb;
};

struct Lock {
    uint32_t mode = ptlrpc::lock_mode::pw;
    uint64_t start = 0;
    uint64_t end = ~0ULL;
    uint32_t flags = 0;
    uint64_t object = 7;
    bool glimpse = false;
};

struct LdlmServiceTest : ::testing::Test {
    ExportTable exports{42};
    CapturedReplies replies;
    CapturedAsts asts;
    RpcRouter router{exports, replies};
    ConnectService connect{exports};
    LdlmService::TimePoint now{};
    LdlmService ldlm{exports, replies, asts, LdlmServiceConfig{}, [this] { return now; }};
    uint64_t next_xid = 1024;

    void SetUp() override
    {
        connect.attach(router);
        ldlm.attach(router);
        connect.on_disconnect([this](const Export& gone) { ldlm.release(gone); });
    }

    static std::span<const std::byte> text(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size() + 1)); }

    const Sent& serve(uint32_t client, ptlrpc::Opcode opc, uint64_t handle,
                      std::initializer_list<std::span<const std::byte>> buffers, bool answered = true)
    {
        ptlrpc::PtlrpcBody body;
        body.opc = static_cast<uint32_t>(opc);
        body.handle = handle;
        body.version = ptlrpc::rpc_route(opc)->version;
        dataplane::IncomingRpc rpc{ptlrpc::build_request(opc, body, buffers), peer(client), next_xid += 128,
                                   ptlrpc::rpc_route(opc)->request_portal, client % 2};
        size_t before = replies.sent.size();
        router.serve(rpc);
        if (answered) {
            EXPECT_EQ(replies.sent.size(), before + 1) << "no reply to " << ptlrpc::opcode_name(opc);
        }
        return replies.sent.back();
    }
    uint64_t connect_as(uint32_t client)
    {
        auto data = ptlrpc::encode_connect_data(ptlrpc::ConnectData{});
        std::array<std::byte, 8> no_handle{};
        std::string uuid = "client-" + std::to_string(client);
        const Sent& reply = serve(client, ptlrpc::Opcode::ost_connect, 0,
                                  {text("ostd-OST0000_UUID"), text(uuid), no_handle, data});
        return body_of(reply.bytes).handle;
    }
    static ptlrpc::PtlrpcBody body_of(const std::vector<std::byte>& bytes)
    {
        auto message = ptlrpc::decode_message(bytes);
        EXPECT_TRUE(message);
        auto body = ptlrpc::decode_ptlrpc_body(message->buffer(0));
        EXPECT_TRUE(body);
        return *body;
    }
    // Client n (export handle) asks for a lock with its own cookie.
    std::vector<std::byte> enqueue_request_bytes(uint64_t cookie, const Lock& lock)
    {
        ptlrpc::LdlmRequest request;
        request.flags = lock.flags | (lock.glimpse ? ptlrpc::ldlm_flag::has_intent : 0);
        request.lock_count = 1;
        request.desc.name = {lock.object, 0, 0, 0};
        request.desc.req_mode = lock.mode;
        request.desc.extent = {lock.start, lock.end, 0};
        request.handles = {cookie, 0};
        return ptlrpc::encode_ldlm_request(request);
    }
    EnqueueAnswer enqueue(uint32_t client, uint64_t handle, uint64_t cookie, const Lock& lock)
    {
        auto request = enqueue_request_bytes(cookie, lock);
        auto intent = ptlrpc::encode_ldlm_intent({ptlrpc::it_glimpse});
        size_t before = replies.sent.size();
        if (lock.glimpse)
            serve(client, ptlrpc::Opcode::ldlm_enqueue, handle, {request, intent}, false);
        else
            serve(client, ptlrpc::Opcode::ldlm_enqueue, handle, {request});
        if (replies.sent.size() == before)
            return {};
        return answer_of(replies.sent.back());
    }
    static EnqueueAnswer answer_of(const Sent& sent)
    {
        EnqueueAnswer answer;
        EXPECT_EQ(sent.portal, ptlrpc::portal::osc_reply);
        auto message = ptlrpc::decode_message(sent.bytes);
        EXPECT_TRUE(message);
        answer.body = body_of(sent.bytes);
        if (auto reply = ptlrpc::decode_ldlm_reply(message->buffer(1)))
            answer.reply = *reply;
        if (auto lvb = ptlrpc::decode_ost_lvb(message->buffer(2)))
            answer.lvb = *lvb;
        return answer;
    }
    ptlrpc::PtlrpcBody cancel(uint32_t client, uint64_t handle, std::vector<uint64_t> cookies)
    {
        ptlrpc::LdlmRequest request;
        request.lock_count = static_cast<uint32_t>(cookies.size());
        request.handles = std::move(cookies);
        auto bytes = ptlrpc::encode_ldlm_request(request);
        const Sent& sent = serve(client, ptlrpc::Opcode::ldlm_cancel, handle, {bytes});
        EXPECT_EQ(sent.portal, ptlrpc::portal::ldlm_cancel_reply);
        return body_of(sent.bytes);
    }
    // The client answers an AST (a glimpse answer carries an LVB).
    void answer_ast(const SentAst& ast, std::initializer_list<std::span<const std::byte>> buffers = {},
                    int32_t status = 0)
    {
        ptlrpc::ReplyParams params;
        params.status = status;
        auto bytes = ptlrpc::build_reply(ast.body, ptlrpc::msghdr_at_support, params, buffers);
        ldlm.on_ast_reply(dataplane::IncomingRpc{bytes, ast.to.peer, ast.xid, ptlrpc::portal::ldlm_cb_reply,
                                                 ast.to.worker});
    }
    uint64_t opc(const SentAst& ast) const { return ast.body.opc; }
};

constexpr uint32_t ok = 0;

}  // namespace

TEST_F(LdlmServiceTest, AnUncontendedEnqueueIsGrantedExpandedWithTheServerCookie)
{
    uint64_t a = connect_as(1);
    auto answer = enqueue(1, a, 0xa1, Lock{ptlrpc::lock_mode::pw, 0, 4095});
    EXPECT_EQ(answer.body.status, 0);
    EXPECT_NE(answer.reply.handle, 0u);
    EXPECT_EQ(answer.reply.flags & ptlrpc::ldlm_flag::lock_changed, ptlrpc::ldlm_flag::lock_changed);
    EXPECT_EQ(answer.reply.desc.granted_mode, ptlrpc::lock_mode::pw);
    EXPECT_EQ(answer.reply.desc.extent.start, 0u);
    EXPECT_EQ(answer.reply.desc.extent.end, ~0ULL);
    EXPECT_EQ(answer.reply.desc.name[0], 7u);
    EXPECT_TRUE(asts.sent.empty());
    EXPECT_EQ(ldlm.locks().lock_count(), 1u);
}

TEST_F(LdlmServiceTest, NoExpansionGrantsExactlyTheRequest)
{
    uint64_t a = connect_as(1);
    auto answer = enqueue(1, a, 0xa1, Lock{ptlrpc::lock_mode::pw, 4096, 8191, ptlrpc::ldlm_flag::no_expansion});
    EXPECT_EQ(answer.reply.flags & ptlrpc::ldlm_flag::lock_changed, 0u);
    EXPECT_EQ(answer.reply.desc.extent.start, 4096u);
    EXPECT_EQ(answer.reply.desc.extent.end, 8191u);
}

TEST_F(LdlmServiceTest, AConflictWaitsAndCallsTheHolderBackOnce)
{
    uint64_t a = connect_as(1), b = connect_as(2), c = connect_as(3);
    auto held = enqueue(1, a, 0xa1, Lock{});
    auto waits = enqueue(2, b, 0xb1, Lock{ptlrpc::lock_mode::pw, 0, 4095});
    EXPECT_EQ(waits.body.status, 0);
    EXPECT_EQ(waits.reply.flags & ptlrpc::ldlm_flag::block_granted, ptlrpc::ldlm_flag::block_granted);
    EXPECT_EQ(waits.reply.desc.granted_mode, 0u);
    ASSERT_EQ(asts.sent.size(), 1u);
    const SentAst& bl = asts.sent[0];
    EXPECT_EQ(opc(bl), static_cast<uint32_t>(ptlrpc::Opcode::ldlm_bl_callback));
    EXPECT_EQ(bl.to.peer, peer(1));
    EXPECT_EQ(bl.to.worker, 1u);  // the worker that heard client 1
    EXPECT_NE(bl.xid & ast_xid_base, 0u);
    EXPECT_EQ(bl.request.handles[0], 0xa1u);
    EXPECT_EQ(bl.request.handles[1], held.reply.handle);
    EXPECT_EQ(bl.request.desc.req_mode, ptlrpc::lock_mode::pw);  // what the blocker wants
    EXPECT_EQ(bl.request.desc.extent.end, 4095u);
    enqueue(3, c, 0xc1, Lock{ptlrpc::lock_mode::pr, 0, 4095});
    EXPECT_EQ(asts.sent.size(), 1u) << "a lock is called back once";
    EXPECT_EQ(ldlm.callbacks_pending(), 1u);
}

TEST_F(LdlmServiceTest, CancelGrantsTheWaiterWithACompletionAst)
{
    uint64_t a = connect_as(1), b = connect_as(2);
    auto held = enqueue(1, a, 0xa1, Lock{});
    auto waits = enqueue(2, b, 0xb1, Lock{ptlrpc::lock_mode::pw, 0, 4095});
    ldlm.note_object_size(7, 0, 12345);
    EXPECT_EQ(cancel(1, a, {held.reply.handle}).status, 0);
    ASSERT_EQ(asts.sent.size(), 2u);
    const SentAst& cp = asts.sent[1];
    EXPECT_EQ(opc(cp), static_cast<uint32_t>(ptlrpc::Opcode::ldlm_cp_callback));
    EXPECT_EQ(cp.to.peer, peer(2));
    EXPECT_EQ(cp.request.handles[0], 0xb1u);
    EXPECT_EQ(cp.request.handles[1], waits.reply.handle);
    EXPECT_EQ(cp.request.desc.granted_mode, ptlrpc::lock_mode::pw);
    auto lvb = ptlrpc::decode_ost_lvb(cp.lvb);
    ASSERT_TRUE(lvb);
    EXPECT_EQ(lvb->size_, 12345u);
    EXPECT_EQ(ldlm.callbacks_pending(), 0u);
    EXPECT_EQ(ldlm.locks().lock_count(), 1u);
}

TEST_F(LdlmServiceTest, AClientCannotCancelAnotherClientsLock)
{
    uint64_t a = connect_as(1), b = connect_as(2);
    auto held = enqueue(1, a, 0xa1, Lock{});
    EXPECT_EQ(cancel(2, b, {held.reply.handle}).status, 0);
    EXPECT_EQ(ldlm.locks().lock_count(), 1u);
}

TEST_F(LdlmServiceTest, ARefusedSpeculativeEnqueueAnswersEagain)
{
    uint64_t a = connect_as(1), b = connect_as(2);
    enqueue(1, a, 0xa1, Lock{});
    auto refused = enqueue(2, b, 0xb1, Lock{ptlrpc::lock_mode::pw, 0, 4095, ptlrpc::ldlm_flag::speculative});
    EXPECT_EQ(refused.body.status, -EAGAIN);
    EXPECT_EQ(refused.reply.handle, 0u);
    EXPECT_TRUE(asts.sent.empty()) << "a speculative request never calls back";
    EXPECT_EQ(ldlm.locks().lock_count(), 1u);
}

TEST_F(LdlmServiceTest, AGroupConflictAnswersEagain)
{
    uint64_t a = connect_as(1), b = connect_as(2);
    Lock group{ptlrpc::lock_mode::group};
    auto first = enqueue(1, a, 0xa1, group);
    EXPECT_EQ(first.body.status, 0);
    ptlrpc::LdlmRequest request;
    request.lock_count = 1;
    request.flags = ptlrpc::ldlm_flag::block_nowait;
    request.desc.name = {7, 0, 0, 0};
    request.desc.req_mode = ptlrpc::lock_mode::group;
    request.desc.extent = {0, ~0ULL, 99};  // another gid
    request.handles = {0xb1, 0};
    auto bytes = ptlrpc::encode_ldlm_request(request);
    auto refused = answer_of(serve(2, ptlrpc::Opcode::ldlm_enqueue, b, {bytes}));
    EXPECT_EQ(refused.body.status, -EAGAIN);
}

TEST_F(LdlmServiceTest, AResentEnqueueGetsTheSameLock)
{
    uint64_t a = connect_as(1);
    auto first = enqueue(1, a, 0xa1, Lock{ptlrpc::lock_mode::pr, 0, 4095});
    auto again = enqueue(1, a, 0xa1, Lock{ptlrpc::lock_mode::pr, 0, 4095});
    EXPECT_EQ(again.body.status, 0);
    EXPECT_EQ(again.reply.handle, first.reply.handle);
    EXPECT_EQ(ldlm.locks().lock_count(), 1u);
    EXPECT_EQ(ldlm.locks().counters().resends, 1u);
}

TEST_F(LdlmServiceTest, AMalformedRequestIsRefusedWithEproto)
{
    uint64_t a = connect_as(1);
    auto bytes = enqueue_request_bytes(0, Lock{});  // client cookie 0 is invalid
    EXPECT_EQ(answer_of(serve(1, ptlrpc::Opcode::ldlm_enqueue, a, {bytes})).body.status, -EINVAL);

    auto valid = enqueue_request_bytes(7, Lock{});
    auto truncated = std::span<const std::byte>(valid).first(16);
    EXPECT_EQ(answer_of(serve(1, ptlrpc::Opcode::ldlm_enqueue, a, {truncated})).body.status, -EPROTO);
    // Refused once, by reason, where the layout is checked (the router), not again by the service.
    EXPECT_EQ(router.stats().malformed.get(ptlrpc::MessageError::short_buffer), 1u);
    EXPECT_EQ(ldlm.stats().malformed.total(), 0u);
}

TEST_F(LdlmServiceTest, AHolderThatDoesNotCancelInTimeIsEvictedAndTheWaiterGranted)
{
    uint64_t a = connect_as(1), b = connect_as(2);
    enqueue(1, a, 0xa1, Lock{});
    enqueue(1, a, 0xa2, Lock{ptlrpc::lock_mode::pr, 0, 10, 0, 8});  // another object, also a's
    enqueue(2, b, 0xb1, Lock{ptlrpc::lock_mode::pw, 0, 4095});
    ASSERT_EQ(asts.sent.size(), 1u);
    answer_ast(asts.sent[0]);  // answering is not cancelling
    now += 4900ms;
    EXPECT_EQ(ldlm.tick(now), 0u);
    EXPECT_NE(exports.find(a), nullptr);
    now += 200ms;
    EXPECT_EQ(ldlm.tick(now), 1u);
    EXPECT_EQ(exports.find(a), nullptr) << "evicted";
    EXPECT_EQ(ldlm.stats().evictions.get(), 1u);
    ASSERT_EQ(asts.sent.size(), 2u);
    EXPECT_EQ(opc(asts.sent[1]), static_cast<uint32_t>(ptlrpc::Opcode::ldlm_cp_callback));
    EXPECT_EQ(asts.sent[1].to.peer, peer(2));
    EXPECT_EQ(ldlm.locks().lock_count(), 1u) << "all of a's locks are gone";
    auto refused = body_of(serve(1, ptlrpc::Opcode::ldlm_enqueue, a, {enqueue_request_bytes(0xa3, Lock{})}).bytes);
    EXPECT_EQ(refused.status, -ENOTCONN);
}

TEST_F(LdlmServiceTest, LocksOfAClientEvictedElsewhereAreDroppedWhenTheyBlock)
{
    uint64_t a = connect_as(1), b = connect_as(2);
    enqueue(1, a, 0xa1, Lock{});
    ASSERT_TRUE(exports.evict(a));  // as the CLI's evict does
    auto waits = enqueue(2, b, 0xb1, Lock{ptlrpc::lock_mode::pw, 0, 4095});
    EXPECT_EQ(waits.reply.flags & ptlrpc::ldlm_flag::block_granted, ptlrpc::ldlm_flag::block_granted);
    ASSERT_EQ(asts.sent.size(), 1u) << "no BL AST to the evicted client, a CP AST to the waiter";
    EXPECT_EQ(opc(asts.sent[0]), static_cast<uint32_t>(ptlrpc::Opcode::ldlm_cp_callback));
    EXPECT_EQ(asts.sent[0].to.peer, peer(2));
    EXPECT_EQ(ldlm.locks().lock_count(), 1u);
}

TEST_F(LdlmServiceTest, AHolderThatCancelsInTimeIsNotEvicted)
{
    uint64_t a = connect_as(1), b = connect_as(2);
    auto held = enqueue(1, a, 0xa1, Lock{});
    enqueue(2, b, 0xb1, Lock{ptlrpc::lock_mode::pw, 0, 4095});
    answer_ast(asts.sent[0]);
    cancel(1, a, {held.reply.handle});
    now += 10s;
    ldlm.tick(now);
    EXPECT_NE(exports.find(a), nullptr);
    EXPECT_EQ(ldlm.stats().evictions.get(), 0u);
}

// The holder's cancel crossed our blocking AST, or it lost the lock: it
// answers -EINVAL. The lock is cancelled here, the waiter granted, and the
// holder is not evicted when the callback deadline passes.
TEST_F(LdlmServiceTest, ABlockingAstAnsweredEinvalCancelsTheLockWithoutEviction)
{
    uint64_t a = connect_as(1), b = connect_as(2);
    enqueue(1, a, 0xa1, Lock{});
    enqueue(1, a, 0xa2, Lock{ptlrpc::lock_mode::pr, 0, 10, 0, 8});  // another object: stays
    enqueue(2, b, 0xb1, Lock{ptlrpc::lock_mode::pw, 0, 4095});
    ASSERT_EQ(asts.sent.size(), 1u);
    answer_ast(asts.sent[0], {}, -EINVAL);
    EXPECT_EQ(ldlm.stats().ast_lock_unknown.get(), 1u);
    ASSERT_EQ(asts.sent.size(), 2u);
    EXPECT_EQ(opc(asts.sent[1]), static_cast<uint32_t>(ptlrpc::Opcode::ldlm_cp_callback));
    EXPECT_EQ(asts.sent[1].to.peer, peer(2));
    now += 10s;
    ldlm.tick(now);
    EXPECT_NE(exports.find(a), nullptr);
    EXPECT_EQ(ldlm.stats().evictions.get(), 0u);
    EXPECT_EQ(ldlm.locks().lock_count(), 2u) << "a's other lock and b's";
}

// Answered 0, the AST is acknowledged and the cancel is still owed.
TEST_F(LdlmServiceTest, ABlockingAstAnsweredZeroStillWaitsForTheCancel)
{
    uint64_t a = connect_as(1), b = connect_as(2);
    enqueue(1, a, 0xa1, Lock{});
    enqueue(2, b, 0xb1, Lock{ptlrpc::lock_mode::pw, 0, 4095});
    answer_ast(asts.sent[0]);
    EXPECT_EQ(ldlm.stats().ast_lock_unknown.get(), 0u);
    EXPECT_EQ(asts.sent.size(), 1u) << "no grant before the cancel";
    EXPECT_EQ(ldlm.locks().lock_count(), 2u);
}

TEST_F(LdlmServiceTest, UnansweredAstsAreForgottenAtTheirDeadline)
{
    uint64_t a = connect_as(1), b = connect_as(2);
    auto held = enqueue(1, a, 0xa1, Lock{});
    enqueue(2, b, 0xb1, Lock{ptlrpc::lock_mode::pw, 0, 4095});
    cancel(1, a, {held.reply.handle});  // cancelled, but the BL AST was never answered
    ASSERT_EQ(asts.sent.size(), 2u);
    answer_ast(asts.sent[1]);  // the CP AST is
    EXPECT_EQ(ldlm.asts_in_flight(), 1u);
    now += 6s;
    ldlm.tick(now);
    EXPECT_EQ(asts.forgotten, std::vector<uint64_t>{asts.sent[0].xid});
    EXPECT_EQ(ldlm.asts_in_flight(), 0u);
    answer_ast(asts.sent[0]);  // too late
    EXPECT_EQ(ldlm.stats().ast_stray_replies.get(), 1u);
}

TEST_F(LdlmServiceTest, AGrantableGlimpseIsGrantedWithTheServerSize)
{
    uint64_t a = connect_as(1);
    ldlm.note_object_size(7, 0, 4242);
    auto answer = enqueue(1, a, 0xa1, Lock{ptlrpc::lock_mode::pr, 0, ~0ULL, 0, 7, true});
    EXPECT_EQ(answer.body.status, 0);
    EXPECT_NE(answer.reply.handle, 0u);
    EXPECT_EQ(answer.lvb.size_, 4242u);
}

TEST_F(LdlmServiceTest, WritesGrowTheSizeAndTruncatesSetIt)
{
    ldlm.note_object_size(7, 0, 5000);
    ldlm.note_object_size(7, 0, 100);
    EXPECT_EQ(ldlm.locks().lvb({{7, 0, 0, 0}})->size, 5000u);
    ldlm.set_object_size(7, 0, 100);
    EXPECT_EQ(ldlm.locks().lvb({{7, 0, 0, 0}})->size, 100u);
}

TEST_F(LdlmServiceTest, AGlimpseAsksTheWriterAndAnswersAbortedWithTheLargestSize)
{
    uint64_t a = connect_as(1), b = connect_as(2);
    auto held = enqueue(1, a, 0xa1, Lock{});
    ldlm.note_object_size(7, 0, 100);
    size_t replies_before = replies.sent.size();
    auto request = enqueue_request_bytes(0xb1, Lock{ptlrpc::lock_mode::pr});
    ptlrpc::LdlmRequest decoded = *ptlrpc::decode_ldlm_request(request);
    decoded.flags |= ptlrpc::ldlm_flag::has_intent;
    request = ptlrpc::encode_ldlm_request(decoded);
    auto intent = ptlrpc::encode_ldlm_intent({ptlrpc::it_glimpse});
    ptlrpc::PtlrpcBody body;
    body.opc = static_cast<uint32_t>(ptlrpc::Opcode::ldlm_enqueue);
    body.handle = b;
    body.version = ptlrpc::rpc_route(ptlrpc::Opcode::ldlm_enqueue)->version;
    router.serve(dataplane::IncomingRpc{ptlrpc::build_request(ptlrpc::Opcode::ldlm_enqueue, body, {request, intent}),
                                        peer(2), 4096, 28, 0});
    EXPECT_EQ(replies.sent.size(), replies_before) << "answered once the holder has";
    body.flags = ptlrpc::msg_resent;  // its reply was late: the client sends it again
    router.serve(dataplane::IncomingRpc{ptlrpc::build_request(ptlrpc::Opcode::ldlm_enqueue, body, {request, intent}),
                                        peer(2), 4096, 28, 0});
    EXPECT_EQ(ldlm.stats().glimpse_resends.get(), 1u);
    EXPECT_EQ(ldlm.glimpses_pending(), 1u);
    ASSERT_EQ(asts.sent.size(), 1u) << "the holder is glimpsed once";
    const SentAst& gl = asts.sent[0];
    EXPECT_EQ(opc(gl), static_cast<uint32_t>(ptlrpc::Opcode::ldlm_gl_callback));
    EXPECT_EQ(gl.to.peer, peer(1));
    EXPECT_EQ(gl.request.handles[0], 0xa1u);
    EXPECT_EQ(gl.request.handles[1], held.reply.handle);
    ptlrpc::OstLvb lvb;
    lvb.size_ = 5000;
    auto lvb_bytes = ptlrpc::encode_ost_lvb(lvb);
    answer_ast(gl, {lvb_bytes});
    ASSERT_EQ(replies.sent.size(), replies_before + 1);
    auto answer = answer_of(replies.sent.back());
    EXPECT_EQ(replies.sent.back().request.xid, 4096u);
    EXPECT_EQ(answer.body.status, ptlrpc::eldlm_lock_aborted);
    EXPECT_EQ(answer.lvb.size_, 5000u);
    EXPECT_EQ(answer.reply.handle, 0u);
    EXPECT_EQ(ldlm.locks().lock_count(), 1u) << "no lock granted";
    EXPECT_EQ(ldlm.locks().lvb({{7, 0, 0, 0}})->size, 5000u);
    EXPECT_EQ(ldlm.glimpses_pending(), 0u);
}

TEST_F(LdlmServiceTest, AGlimpseNobodyAnswersIsAnsweredWithTheServerSizeAtItsDeadline)
{
    uint64_t a = connect_as(1), b = connect_as(2);
    enqueue(1, a, 0xa1, Lock{});
    ldlm.note_object_size(7, 0, 100);
    enqueue(2, b, 0xb1, Lock{ptlrpc::lock_mode::pr, 0, ~0ULL, 0, 7, true});
    // enqueue() took the last reply, which is the holder's grant: nothing for the glimpse yet.
    EXPECT_EQ(ldlm.glimpses_pending(), 1u);
    size_t before = replies.sent.size();
    now += 2100ms;
    ldlm.tick(now);
    ASSERT_EQ(replies.sent.size(), before + 1);
    auto answer = answer_of(replies.sent.back());
    EXPECT_EQ(answer.body.status, ptlrpc::eldlm_lock_aborted);
    EXPECT_EQ(answer.lvb.size_, 100u);
    EXPECT_EQ(asts.forgotten.size(), 1u);
    EXPECT_NE(exports.find(a), nullptr) << "a glimpse timeout does not evict";
}

TEST_F(LdlmServiceTest, DisconnectReleasesTheClientsLocks)
{
    uint64_t a = connect_as(1), b = connect_as(2);
    enqueue(1, a, 0xa1, Lock{});
    enqueue(2, b, 0xb1, Lock{ptlrpc::lock_mode::pw, 0, 4095});
    serve(1, ptlrpc::Opcode::ost_disconnect, a, {});
    ASSERT_EQ(asts.sent.size(), 2u);
    EXPECT_EQ(opc(asts.sent[1]), static_cast<uint32_t>(ptlrpc::Opcode::ldlm_cp_callback));
    EXPECT_EQ(ldlm.locks().lock_count(), 1u);
    EXPECT_EQ(ldlm.callbacks_pending(), 0u);
    now += 10s;
    ldlm.tick(now);
    EXPECT_EQ(ldlm.stats().evictions.get(), 0u);
}

TEST_F(LdlmServiceTest, EnqueuesBeyondTheLockBudgetAnswerEinprogressAndDisconnectFreesIt)
{
    ldlm.locks().set_limits({2, 3});
    uint64_t a = connect_as(1), b = connect_as(2);
    auto lockahead = [](uint64_t n, uint64_t object = 7) {
        return Lock{ptlrpc::lock_mode::pw, n * 4096, n * 4096 + 4095,
                    ptlrpc::ldlm_flag::speculative | ptlrpc::ldlm_flag::no_expansion, object};
    };
    EXPECT_EQ(enqueue(1, a, 0xa1, lockahead(1)).body.status, 0);
    EXPECT_EQ(enqueue(1, a, 0xa2, lockahead(2)).body.status, 0);
    auto over_client = enqueue(1, a, 0xa3, lockahead(3));
    EXPECT_EQ(over_client.body.status, -EINPROGRESS);
    EXPECT_EQ(over_client.reply.handle, 0u);
    EXPECT_EQ(enqueue(2, b, 0xb1, lockahead(4)).body.status, 0);
    auto over_resource = enqueue(2, b, 0xb2, lockahead(5));
    EXPECT_EQ(over_resource.body.status, -EINPROGRESS);
    EXPECT_EQ(enqueue(2, b, 0xb3, lockahead(5, 8)).body.status, 0) << "another object has its own budget";
    EXPECT_EQ(ldlm.locks().counters().client_limit_refusals, 1u);
    EXPECT_EQ(ldlm.locks().counters().resource_limit_refusals, 1u);
    EXPECT_EQ(ldlm.locks().client_lock_count(ldlm::ClientId{a}), 2u);

    serve(1, ptlrpc::Opcode::ost_disconnect, a, {});
    EXPECT_EQ(ldlm.locks().client_lock_count(ldlm::ClientId{a}), 0u);
    EXPECT_EQ(enqueue(2, b, 0xb4, lockahead(6)).body.status, -EINPROGRESS) << "b is at its own cap";
    EXPECT_EQ(ldlm.locks().lock_count(), 2u);
}
