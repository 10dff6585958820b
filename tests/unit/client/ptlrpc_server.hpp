// Test helper: a small ptlrpc server on 127.0.0.1, built from the same pieces
// as the appliance (an LNET endpoint, request buffers on portal 28 -- and 6
// and 17 when asked --, the ptlrpc codec). It runs on a thread of its own; a
// handler decides, per request, whether to answer (now or later, at which
// offset, with what) or to ignore it. Every request it received is recorded.
//
// For the client's I/O and lock tests a handler may also (on the server
// thread): move bulk data (bulk_get / bulk_put: in max_payload pieces at
// increasing offsets, as DESIGN 4.6 says the OST does), send ASTs to the
// client's portal 15 (send_ast; the reply comes back to a callback), and
// answer a request later (Answer.defer, then reply()). post() runs a function
// on the server thread from the test thread.
#pragma once

#include <map>
#include <functional>
#include <mutex>

#include "lnet_core/ptlrpc/connect_wire.hpp"
#include "lnet_core/ptlrpc/rpc_layout.hpp"
#include "lnet_core/request_buffers.hpp"
#include "tests/unit/client/loopback_node.hpp"

namespace ostd::client::testing {

namespace ptlrpc = lnet::ptlrpc;

struct ServedRequest {
    lnet::ProcessId peer;
    uint64_t xid = 0;
    uint32_t portal = 0;
    uint32_t msg_flags = 0;  // lm_flags
    ptlrpc::PtlrpcBody body;
    std::vector<std::vector<std::byte>> buffers;  // after the body
    bool valid = false;      // check_request passed
};

struct Answer {
    bool drop = false;                       // ignore the request
    ptlrpc::ReplyParams params;
    std::vector<std::vector<std::byte>> buffers;
    std::optional<std::vector<std::byte>> raw;  // sent as is instead of a built reply
    std::chrono::milliseconds delay{0};
    std::optional<uint32_t> offset;          // default: 224 with AT_SUPPORT, else 0
    bool defer = false;                      // no reply now: the handler calls reply() later
};

inline constexpr uint64_t test_export_handle = 0x5e55'10'00'c0ffeeull;

// What ostd answers: connect gets an export handle and connect data, the
// rest an empty reply.
inline Answer standard_answer(const ServedRequest& request)
{
    Answer answer;
    if (request.body.opc == static_cast<uint32_t>(ptlrpc::Opcode::ost_connect)) {
        ptlrpc::ConnectData data;
        if (request.buffers.size() >= 4)
            if (auto asked = ptlrpc::decode_connect_data(request.buffers[3]))
                data = *asked;
        data.connect_flags &= ~ptlrpc::obd_connect::lvb_type;  // grant less than asked
        data.instance = 7;
        auto bytes = ptlrpc::encode_connect_data(data);
        answer.buffers.emplace_back(bytes.begin(), bytes.end());
        answer.params.handle = test_export_handle;
    }
    return answer;
}

class PtlrpcServer;
using Handler = std::function<Answer(const ServedRequest&, size_t index)>;
using ServerHandler = std::function<Answer(PtlrpcServer&, const ServedRequest&, size_t index)>;

// The portals an OST with its LDLM listens on.
inline const std::vector<uint32_t> ost_portals{ptlrpc::portal::ost_request, ptlrpc::portal::ost_io,
                                               ptlrpc::portal::ldlm_cancel_request};

// An AST's reply: status and buffers after the body (nullopt: no reply in time).
struct AstReply {
    int32_t status = 0;
    std::vector<std::vector<std::byte>> buffers;
};
using AstCallback = std::function<void(PtlrpcServer&, std::optional<AstReply>)>;

class PtlrpcServer {
public:
    explicit PtlrpcServer(Handler handler = [](const ServedRequest& r, size_t) { return standard_answer(r); })
        : PtlrpcServer([h = std::move(handler)](PtlrpcServer&, const ServedRequest& r, size_t i) { return h(r, i); },
                       {ptlrpc::portal::ost_request})
    {
    }
    PtlrpcServer(ServerHandler handler, std::vector<uint32_t> portals)
        : _handler(std::move(handler)), _transport(open_loopback(0, lnet::lustre_pid)), _events(4096),
          _bulk_events(4096), _ast_events(1024)
    {
        for (uint32_t portal : portals) {
            _buffers.push_back(std::make_unique<lnet::RequestBuffers>(
                _transport->endpoint(),
                lnet::RequestBuffersConfig{portal, 64 * 1024, 8 * 1024, 4, 2, 16,
                                           (0x77ull << 40) | (uint64_t{portal} << 32), &_events}));
            _portals.push_back(portal);
            EXPECT_TRUE(_buffers.back()->start(*_transport));
        }
        _thread = std::thread([this] { run(); });
    }
    ~PtlrpcServer()
    {
        _stop = true;
        _thread.join();
    }

    uint16_t port() const { return _transport->local_address().port; }
    lnet::ProcessId id() const { return _transport->self(); }
    std::vector<ServedRequest> requests() const
    {
        std::lock_guard lock(_mutex);
        return _requests;
    }
    size_t replies_sent() const { return _replies_sent.load(); }

    // Test thread: run fn on the server thread (soon).
    void post(std::function<void(PtlrpcServer&)> fn)
    {
        std::lock_guard lock(_mutex);
        _posted.push_back(std::move(fn));
    }

    // Server thread only, from here on.

    // Answers a request whose handler deferred.
    void reply(const ServedRequest& request, const Answer& answer)
    {
        std::vector<std::span<const std::byte>> buffers(answer.buffers.begin(), answer.buffers.end());
        std::vector<std::byte> bytes =
            answer.raw ? *answer.raw : ptlrpc::build_reply(request.body, request.msg_flags, answer.params, buffers);
        uint32_t offset = answer.offset.value_or(request.msg_flags & ptlrpc::msghdr_at_support ? 224 : 0);
        auto route = ptlrpc::rpc_route(request.body.opc);
        _due.push_back({std::chrono::steady_clock::now() + answer.delay, request.peer,
                        route ? route->reply_portal : ptlrpc::portal::osc_reply, request.xid, offset,
                        std::move(bytes)});
    }

    // GETs length bytes from the peer's bulk MD (portal 8, match bits mbits)
    // starting at md_offset, in max_payload pieces, a few in flight.
    std::optional<std::vector<std::byte>> bulk_get(lnet::ProcessId peer, uint64_t mbits, uint32_t md_offset,
                                                   uint32_t length)
    {
        std::vector<std::byte> data(length);
        return move_bulk(peer, mbits, md_offset, data, false) ? std::optional(std::move(data)) : std::nullopt;
    }
    // PUTs data into the peer's bulk MD at md_offset (ACKs asked and awaited).
    bool bulk_put(lnet::ProcessId peer, uint64_t mbits, uint32_t md_offset, std::vector<std::byte> data)
    {
        return move_bulk(peer, mbits, md_offset, data, true);
    }

    // Sends an AST (BL/CP/GL callback) to the peer's portal 15; done runs
    // with its reply, or nullopt after timeout.
    void send_ast(lnet::ProcessId peer, ptlrpc::Opcode opc, std::vector<std::vector<std::byte>> buffers,
                  AstCallback done, std::chrono::milliseconds timeout = std::chrono::milliseconds(3000))
    {
        uint64_t xid = _next_ast_xid;
        _next_ast_xid += 128;
        auto ast = std::make_unique<PendingAst>();
        ast->reply_buffer.resize(224 + 8192);
        ast->done = std::move(done);
        ast->deadline = std::chrono::steady_clock::now() + timeout;
        lnet::MatchSpec me{ptlrpc::portal::ldlm_cb_reply, peer, xid, 0};
        lnet::MdSpec md{ast->reply_buffer, lnet::md_option::op_put | lnet::md_option::manage_remote, 1, 0, true,
                        &_ast_events, xid};
        auto attached = _transport->endpoint().attach(me, md, lnet::Position::after, *_transport);
        EXPECT_TRUE(attached);
        ast->md = *attached;
        std::vector<std::span<const std::byte>> spans(buffers.begin(), buffers.end());
        ptlrpc::PtlrpcBody body;
        ast->request = ptlrpc::build_request(opc, body, spans);
        lnet::MdSpec source{ast->request, 0, 1, 0, true, nullptr, 0};
        auto out = _transport->endpoint().bind(source);
        EXPECT_TRUE(out);
        EXPECT_EQ(_transport->endpoint().put(*out, peer, ptlrpc::portal::ldlm_cb_request, xid, lnet::PutOptions{},
                                             *_transport),
                  lnet::SendStatus::sent);
        _asts.emplace(xid, std::move(ast));
    }

private:
    struct PendingAst {
        std::vector<std::byte> reply_buffer;
        std::vector<std::byte> request;
        lnet::MdHandle md;
        AstCallback done;
        std::chrono::steady_clock::time_point deadline;
    };

    struct Due {
        std::chrono::steady_clock::time_point at;
        lnet::ProcessId peer;
        uint32_t portal;
        uint64_t xid;
        uint32_t offset;
        std::vector<std::byte> bytes;
    };

    void run()
    {
        while (!_stop.load(std::memory_order_relaxed)) {
            _transport->poll(std::chrono::milliseconds(2));
            serve_requests();
            drain_asts();
            send_due();
            std::vector<std::function<void(PtlrpcServer&)>> posted;
            {
                std::lock_guard lock(_mutex);
                posted.swap(_posted);
            }
            for (auto& fn : posted)
                fn(*this);
        }
    }

    void serve_requests()
    {
        lnet::Event event;
        while (_events.poll(event))
            for (size_t i = 0; i < _buffers.size(); ++i)
                if (_buffers[i]->owns(event))
                    if (auto request = _buffers[i]->on_event(event, *_transport)) {
                        serve(*request, _portals[i]);
                        _buffers[i]->release(request->buffer, *_transport);
                    }
    }

    void drain_asts()
    {
        lnet::Event event;
        while (_ast_events.poll(event)) {
            auto it = _asts.find(event.user_data);
            if (event.type != lnet::EventType::put || it == _asts.end())
                continue;
            auto ast = std::move(it->second);
            _asts.erase(it);
            std::span<const std::byte> bytes(ast->reply_buffer.data() + event.offset, event.mlength);
            std::optional<AstReply> reply;
            if (auto message = ptlrpc::decode_message(bytes))
                if (auto body = ptlrpc::check_reply(*message)) {
                    reply = AstReply{body->status, {}};
                    for (size_t i = 1; i < message->bufcount; ++i)
                        reply->buffers.emplace_back(message->buffer(i).begin(), message->buffer(i).end());
                }
            ast->done(*this, std::move(reply));
        }
        auto now = std::chrono::steady_clock::now();
        for (auto it = _asts.begin(); it != _asts.end();) {
            if (it->second->deadline > now) {
                ++it;
                continue;
            }
            auto ast = std::move(it->second);
            it = _asts.erase(it);
            _transport->endpoint().unlink(ast->md);
            ast->done(*this, std::nullopt);
        }
    }

    bool move_bulk(lnet::ProcessId peer, uint64_t mbits, uint32_t md_offset, std::vector<std::byte>& data, bool put)
    {
        const uint32_t piece = _transport->endpoint().config().max_payload;
        const size_t window = 16;
        size_t pieces = (data.size() + piece - 1) / piece;
        size_t sent = 0, done = 0;
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        while (done < pieces) {
            while (sent < pieces && sent - done < window) {
                size_t at = sent * piece;
                size_t length = std::min<size_t>(piece, data.size() - at);
                lnet::MdSpec md{std::span(data).subspan(at, length), 0, 2, 0, true, &_bulk_events, at};
                auto handle = _transport->endpoint().bind(md);
                if (!handle)
                    return false;
                auto status = put ? _transport->endpoint().put(*handle, peer, ptlrpc::portal::ost_bulk, mbits,
                                                               lnet::PutOptions{.ack = true,
                                                                                .remote_offset = uint32_t(md_offset + at)},
                                                               *_transport)
                                  : _transport->endpoint().get(*handle, peer, ptlrpc::portal::ost_bulk, mbits,
                                                               uint32_t(md_offset + at), *_transport);
                if (status != lnet::SendStatus::sent)
                    return false;
                ++sent;
            }
            _transport->poll(std::chrono::milliseconds(2));
            lnet::Event event;
            while (_bulk_events.poll(event))
                if (event.type == (put ? lnet::EventType::ack : lnet::EventType::reply))
                    ++done;
            if (std::chrono::steady_clock::now() > deadline)
                return false;  // MDs left bound: the test fails anyway
        }
        return true;
    }

    void serve(const lnet::Request& raw, uint32_t portal)
    {
        ServedRequest request{raw.peer, raw.match_bits, portal};
        auto message = ptlrpc::decode_message(raw.bytes);
        if (message) {
            request.msg_flags = message->header.flags;
            for (size_t i = 1; i < message->bufcount; ++i)
                request.buffers.emplace_back(message->buffer(i).begin(), message->buffer(i).end());
            if (auto body = ptlrpc::check_request(*message)) {
                request.body = *body;
                request.valid = true;
            }
        }
        size_t index;
        {
            std::lock_guard lock(_mutex);
            _requests.push_back(request);
            index = _requests.size() - 1;
        }
        if (!request.valid)
            return;
        Answer answer = _handler(*this, request, index);
        if (answer.drop || answer.defer)
            return;
        reply(request, answer);
    }

    void send_due()
    {
        auto now = std::chrono::steady_clock::now();
        for (auto it = _due.begin(); it != _due.end();) {
            if (it->at > now) {
                ++it;
                continue;
            }
            lnet::MdSpec source{it->bytes, 0, 1, 0, true, nullptr, 0};
            auto md = _transport->endpoint().bind(source);
            EXPECT_TRUE(md);
            auto sent = _transport->endpoint().put(*md, it->peer, it->portal, it->xid,
                                                   lnet::PutOptions{.remote_offset = it->offset}, *_transport);
            EXPECT_EQ(sent, lnet::SendStatus::sent);
            _replies_sent.fetch_add(1);
            it = _due.erase(it);
        }
    }

    ServerHandler _handler;
    std::unique_ptr<UdpTransport> _transport;
    lnet::EventQueue _events;
    lnet::EventQueue _bulk_events;
    lnet::EventQueue _ast_events;
    std::vector<std::unique_ptr<lnet::RequestBuffers>> _buffers;
    std::vector<uint32_t> _portals;
    std::map<uint64_t, std::unique_ptr<PendingAst>> _asts;
    uint64_t _next_ast_xid = 0x4000'0000'0000'0000ull;
    std::vector<std::function<void(PtlrpcServer&)>> _posted;
    std::vector<Due> _due;
    mutable std::mutex _mutex;
    std::vector<ServedRequest> _requests;
    std::atomic<size_t> _replies_sent{0};
    std::atomic<bool> _stop{false};
    std::thread _thread;
};

}  // namespace ostd::client::testing
