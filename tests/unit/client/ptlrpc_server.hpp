// Test helper: a small ptlrpc server on 127.0.0.1, built from the same pieces
// as the appliance (an LNET endpoint, request buffers on portal 28, the
// ptlrpc codec). It runs on a thread of its own; a handler decides, per
// request, whether to answer (now or later, at which offset, with what) or
// to ignore it. Every request it received is recorded.
#pragma once

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

using Handler = std::function<Answer(const ServedRequest&, size_t index)>;

class PtlrpcServer {
public:
    explicit PtlrpcServer(Handler handler = [](const ServedRequest& r, size_t) { return standard_answer(r); })
        : _handler(std::move(handler)), _transport(open_loopback(0, lnet::lustre_pid)), _events(1024),
          _buffers(_transport->endpoint(),
                   lnet::RequestBuffersConfig{ptlrpc::portal::ost_request, 64 * 1024, 8 * 1024, 4, 2, 16,
                                              0x7700000000ull, &_events})
    {
        EXPECT_TRUE(_buffers.start(*_transport));
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

private:
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
            lnet::Event event;
            while (_events.poll(event))
                if (auto request = _buffers.on_event(event, *_transport)) {
                    serve(*request);
                    _buffers.release(request->buffer, *_transport);
                }
            send_due();
        }
    }

    void serve(const lnet::Request& raw)
    {
        ServedRequest request{raw.peer, raw.match_bits, ptlrpc::portal::ost_request};
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
        Answer answer = _handler(request, index);
        if (answer.drop)
            return;
        std::vector<std::span<const std::byte>> buffers(answer.buffers.begin(), answer.buffers.end());
        std::vector<std::byte> bytes =
            answer.raw ? *answer.raw : ptlrpc::build_reply(request.body, request.msg_flags, answer.params, buffers);
        uint32_t offset = answer.offset.value_or(request.msg_flags & ptlrpc::msghdr_at_support ? 224 : 0);
        auto route = ptlrpc::rpc_route(request.body.opc);
        _due.push_back({std::chrono::steady_clock::now() + answer.delay, request.peer,
                        route ? route->reply_portal : ptlrpc::portal::osc_reply, request.xid, offset,
                        std::move(bytes)});
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

    Handler _handler;
    std::unique_ptr<UdpTransport> _transport;
    lnet::EventQueue _events;
    lnet::RequestBuffers _buffers;
    std::vector<Due> _due;
    mutable std::mutex _mutex;
    std::vector<ServedRequest> _requests;
    std::atomic<size_t> _replies_sent{0};
    std::atomic<bool> _stop{false};
    std::thread _thread;
};

}  // namespace ostd::client::testing
