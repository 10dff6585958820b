#include "client/rpc_client.hpp"

#include <algorithm>
#include <cstring>

#include "lnet_core/ptlrpc/rpc_layout.hpp"

namespace ostd::client {

using Clock = std::chrono::steady_clock;

struct RpcClient::Pending {
    Request request;
    uint64_t xid = 0;
    ptlrpc::RpcRoute route{};
    std::vector<std::byte> sent;          // the encoded request of the last attempt
    std::vector<std::byte> reply_buffer;  // reply_offset + max_reply
    lnet::MdHandle reply_md;
    unsigned attempts = 0;
    Clock::time_point first_send;
    Clock::time_point deadline;  // of the current attempt
};

uint64_t time_based_first_xid()
{
    auto now = std::chrono::system_clock::now().time_since_epoch();
    auto micros = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(now).count());
    return std::max<uint64_t>(micros, 1) * xid_step;
}

namespace {

uint64_t round_up_to_step(uint64_t xid) { return (xid + xid_step - 1) / xid_step * xid_step; }

RpcError error(RpcErrc code, std::string detail) { return RpcError{code, std::move(detail), std::nullopt, 0}; }

}  // namespace

RpcClient::RpcClient(UdpTransport& transport, const RpcClientConfig& config)
    : _transport(transport),
      _config(config),
      _events(config.eq_capacity),
      _next_xid(config.first_xid ? round_up_to_step(config.first_xid) : time_based_first_xid())
{
}

RpcClient::~RpcClient()
{
    // The reply buffers die with us: their MDs must go first, so a reply
    // arriving later finds no ME (counted no_match), never freed memory.
    lnet::Event discarded;
    for (auto& [id, call] : _pending)
        while (_transport.endpoint().unlink(call->reply_md) == lnet::UnlinkStatus::pushback)
            _events.poll(discarded);
}

void RpcClient::set_export(uint64_t handle, uint32_t conn_cnt)
{
    _export_handle = handle;
    _conn_cnt = conn_cnt;
}

std::string RpcClient::describe(const Pending& call) const
{
    return std::string(ptlrpc::opcode_name(call.request.opc)) + " to " + lnet::format_nid(_config.server.nid);
}

// Lustre's pb_last_xid: every xid up to this one has its reply. Ours: just
// below the oldest call still in flight, this one included.
uint64_t RpcClient::last_xid(uint64_t sending) const
{
    uint64_t oldest = sending;
    for (const auto& [id, call] : _pending)
        oldest = std::min(oldest, call->xid);
    return oldest - xid_step;
}

lnet::Result<CallId, RpcError> RpcClient::start(Request request)
{
    auto route = ptlrpc::rpc_route(request.opc);
    if (!route)
        return error(RpcErrc::send, "cannot send opcode " + std::to_string(static_cast<uint32_t>(request.opc)) +
                                        ": unknown to the opcode table");
    auto call = std::make_unique<Pending>();
    call->request = std::move(request);
    call->route = *route;
    call->xid = _next_xid;
    call->reply_buffer.resize(reply_offset + _config.max_reply);

    lnet::MatchSpec me{route->reply_portal, _config.server, call->xid, 0};
    lnet::MdSpec md{call->reply_buffer, lnet::md_option::op_put | lnet::md_option::manage_remote, 1, 0, true,
                    &_events, call->xid};
    auto attached = _transport.endpoint().attach(me, md, lnet::Position::after, _transport);
    if (!attached)
        return error(RpcErrc::send, "cannot post the reply buffer of " + describe(*call) + " on portal " +
                                        std::to_string(route->reply_portal));
    call->reply_md = *attached;
    _next_xid += xid_step;
    _counters.started.add();

    call->first_send = Clock::now();
    if (auto sent = send(*call); !sent) {
        while (_transport.endpoint().unlink(call->reply_md) == lnet::UnlinkStatus::pushback)
            drain_events();
        _counters.send_failures.add();
        return sent.error();
    }
    CallId id = call->xid;
    _pending.emplace(id, std::move(call));
    return id;
}

// One attempt: the request (RESENT after the first) as a PUT, no ACK.
lnet::Result<bool, RpcError> RpcClient::send(Pending& call)
{
    ptlrpc::PtlrpcBody body = call.request.body;
    if (body.handle == 0 && call.request.with_export)
        body.handle = _export_handle;
    body.conn_cnt = _conn_cnt;
    body.last_xid = last_xid(call.xid);
    auto timeout = call.request.timeout.value_or(_config.timeout);
    body.timeout = static_cast<uint32_t>(std::max<int64_t>(1, (timeout.count() + 999) / 1000));
    if (call.attempts > 0)
        body.flags |= ptlrpc::msg_resent;
    std::vector<std::span<const std::byte>> buffers(call.request.buffers.begin(), call.request.buffers.end());
    ptlrpc::MessageHeader header;
    header.repsize = _config.max_reply;
    call.sent = ptlrpc::build_request(call.request.opc, body, buffers, header);

    lnet::SendStatus status = _transport.endpoint().put_bytes(call.sent, _config.server, call.route.request_portal,
                                                              call.xid, lnet::PutOptions{}, _transport);
    if (status != lnet::SendStatus::sent) {
        std::string why = _transport.last_send_error() ? _transport.last_send_error()->message()
                          : status == lnet::SendStatus::too_long
                              ? "request of " + std::to_string(call.sent.size()) + " bytes is over max_payload"
                              : std::string("endpoint refused");
        return error(RpcErrc::send, "cannot send " + describe(call) + ": " + why);
    }
    ++call.attempts;
    if (call.attempts > 1)
        _counters.resends.add();
    call.deadline = Clock::now() + timeout;
    return true;
}

lnet::Result<size_t, RpcError> RpcClient::poll(std::chrono::milliseconds timeout)
{
    size_t before = _completed.size();
    drain_events();
    if (_completed.size() == before) {
        // Wake no later than the earliest deadline in flight.
        auto wait = timeout;
        auto now = Clock::now();
        for (const auto& [id, call] : _pending)
            wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(
                                      std::max(call->deadline - now, Clock::duration::zero())));
        if (auto polled = _transport.poll(wait); !polled)
            return error(RpcErrc::transport, "polling for replies from " + lnet::format_nid(_config.server.nid) +
                                                 ": " + polled.error().message());
        drain_events();
    }
    if (_poll_hook)
        _poll_hook();  // nested calls take their own results: ours stay
    expire(Clock::now());
    return _completed.size() > before ? _completed.size() - before : 0;
}

void RpcClient::drain_events()
{
    lnet::Event event;
    while (_events.poll(event)) {
        if (event.type != lnet::EventType::put)
            continue;  // UNLINK events of our own unlinks
        auto it = _pending.find(event.user_data);
        if (it == _pending.end() || it->second->reply_md != event.md)
            continue;  // a call already given up
        on_reply_event(*it->second, event);
    }
}

void RpcClient::on_reply_event(Pending& call, const lnet::Event& event)
{
    CallId id = call.xid;
    if (event.offset != reply_offset) {
        _counters.bad_replies.add();
        complete(id, error(RpcErrc::bad_reply, describe(call) + ": reply at offset " + std::to_string(event.offset) +
                                                   ", expected " + std::to_string(reply_offset) +
                                                   " (early replies are not supported)"));
        return;
    }
    Reply reply;
    reply.bytes.assign(call.reply_buffer.begin() + reply_offset,
                       call.reply_buffer.begin() + reply_offset + event.mlength);
    reply.xid = call.xid;
    reply.attempts = call.attempts;
    reply.round_trip = Clock::now() - call.first_send;
    auto message = ptlrpc::decode_message(reply.bytes);
    auto body = message ? ptlrpc::check_reply(*message) : lnet::Result<ptlrpc::PtlrpcBody, ptlrpc::MessageError>(
                                                              message.error());
    uint32_t opc = static_cast<uint32_t>(call.request.opc);
    if (body && body->opc != opc) {
        _counters.bad_replies.add();
        complete(id, error(RpcErrc::bad_reply, describe(call) + ": reply is for " +
                                                   std::string(ptlrpc::opcode_name(body->opc))));
        return;
    }
    if (!body) {
        _counters.bad_replies.add();
        RpcError refused = error(RpcErrc::bad_reply, describe(call) + ": bad reply (" +
                                                         std::string(ptlrpc::message_error_name(body.error())) + ", " +
                                                         std::to_string(event.mlength) + " bytes)");
        refused.message_error = body.error();
        complete(id, refused);
        return;
    }
    reply.message = *message;
    reply.body = *body;
    _counters.replies.add();
    complete(id, std::move(reply));
}

// Attempts whose time is up: resend with the same xid, or give up.
void RpcClient::expire(Clock::time_point now)
{
    std::vector<CallId> due;
    for (const auto& [id, call] : _pending)
        if (call->deadline <= now)
            due.push_back(id);
    for (CallId id : due) {
        auto it = _pending.find(id);
        if (it == _pending.end())
            continue;  // completed while another call was being ended
        Pending& call = *it->second;
        if (call.attempts <= _config.resends) {
            if (auto sent = send(call); !sent) {
                _counters.send_failures.add();
                complete(id, sent.error());
            }
            continue;
        }
        _counters.timeouts.add();
        // Whether the reply buffer is still posted tells the two failures apart:
        // nothing matched it, or a reply matched it and never reached this call.
        bool posted = _transport.endpoint().table().mds().find(call.reply_md) != nullptr;
        complete(id, error(RpcErrc::timeout, describe(call) + ": no reply after " + std::to_string(call.attempts) +
                                                 (call.attempts == 1 ? " attempt (" : " attempts (") +
                                                 std::to_string(call.request.timeout.value_or(_config.timeout).count()) +
                                                 " ms each; reply buffer " +
                                                 (posted ? "still posted)" : "consumed, its event not delivered)")));
    }
}

// Ends a call: its reply MD goes (stale if the reply consumed it), so a late
// reply to its xid finds no ME and is dropped as no_match.
void RpcClient::complete(CallId id, RpcResult result)
{
    auto it = _pending.find(id);
    if (it == _pending.end())
        return;
    lnet::MdHandle md = it->second->reply_md;
    while (_transport.endpoint().unlink(md) == lnet::UnlinkStatus::pushback) {
        drain_events();  // our queue is full: make room (this may complete other calls, or this one)
        it = _pending.find(id);
        if (it == _pending.end())
            return;
    }
    _pending.erase(it);
    _completed.emplace_back(id, std::move(result));
}

std::optional<RpcResult> RpcClient::take(CallId id)
{
    for (auto it = _completed.begin(); it != _completed.end(); ++it) {
        if (it->first == id) {
            RpcResult result = std::move(it->second);
            _completed.erase(it);
            return result;
        }
    }
    return std::nullopt;
}

std::vector<std::pair<CallId, RpcResult>> RpcClient::take_completed() { return std::exchange(_completed, {}); }

RpcResult RpcClient::call(Request request)
{
    auto id = start(std::move(request));
    if (!id)
        return id.error();
    for (;;) {
        if (auto done = take(*id))
            return std::move(*done);
        if (auto polled = poll(_config.timeout); !polled) {
            complete(*id, polled.error());
            return std::move(*take(*id));
        }
    }
}

}  // namespace ostd::client
