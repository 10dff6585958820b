#include "client/callback_service.hpp"

#include <algorithm>
#include <cerrno>

#include "lnet_core/ptlrpc/rpc_layout.hpp"

namespace ostd::client {

namespace {

constexpr uint64_t callback_tag = 0xcb00000000ull;

lnet::RequestBuffersConfig buffers_config(lnet::EventQueue& events)
{
    lnet::RequestBuffersConfig config;
    config.portal = ptlrpc::portal::ldlm_cb_request;
    config.buffer_size = 32 * 1024;
    config.max_request = 4 * 1024;
    config.initial = 2;
    config.low_water = 1;
    config.max_buffers = 8;
    config.tag = callback_tag;
    config.eq = &events;
    return config;
}

}  // namespace

CallbackService::CallbackService(UdpTransport& transport, LockCache& locks)
    : _transport(transport), _locks(locks), _events(256), _buffers(transport.endpoint(), buffers_config(_events))
{
}

lnet::Result<bool, lnet::AttachError> CallbackService::install()
{
    auto started = _buffers.start(_transport);
    if (!started)
        return started;
    _locks.rpc().set_poll_hook([this] {
        serve();
        _locks.collect_async();
        _locks.run_pending_cancels();
    });
    return true;
}

size_t CallbackService::serve()
{
    size_t served = 0;
    lnet::Event event;
    while (_events.poll(event)) {
        auto request = _buffers.on_event(event, _transport);
        if (!request)
            continue;
        handle(*request);
        _buffers.release(request->buffer, _transport);
        ++served;
    }
    return served;
}

void CallbackService::handle(const lnet::Request& request)
{
    _counters.requests.add();
    if (answer_again(request))
        return;
    auto message = ptlrpc::decode_message(request.bytes);
    auto body = message ? ptlrpc::check_request(*message)
                        : lnet::Result<ptlrpc::PtlrpcBody, ptlrpc::MessageError>(message.error());
    if (!body) {
        _counters.bad_requests.add();
        return;  // nothing we can answer: the server times the AST out
    }
    uint32_t msg_flags = message->header.flags;
    auto ldlm = ptlrpc::decode_ldlm_request(message->buffer(1));
    if (!ldlm) {
        _counters.bad_requests.add();
        reply(request, *body, msg_flags, -EINVAL, {});
        return;
    }
    uint64_t cookie = ldlm->handles.empty() ? 0 : ldlm->handles[0];
    switch (static_cast<ptlrpc::Opcode>(body->opc)) {
    case ptlrpc::Opcode::ldlm_bl_callback: {
        // A lock we do not hold (our cancel crossed the AST) is answered
        // -EINVAL, as Lustre's client does: the server then cancels it
        // instead of waiting for a cancel that will not come and evicting us.
        bool known = _locks.on_blocking(cookie);
        if (!known)
            _counters.unknown_locks.add();
        reply(request, *body, msg_flags, known ? 0 : -EINVAL, {});
        return;
    }
    case ptlrpc::Opcode::ldlm_cp_callback: {
        std::optional<ptlrpc::OstLvb> lvb;
        if (auto decoded = ptlrpc::decode_ost_lvb(message->buffer(2)))
            lvb = *decoded;
        if (!_locks.on_completion(cookie, ldlm->desc, lvb))
            _counters.unknown_locks.add();
        reply(request, *body, msg_flags, 0, {});
        return;
    }
    case ptlrpc::Opcode::ldlm_gl_callback: {
        ObjectId object{ldlm->desc.name[0], ldlm->desc.name[1]};
        if (ClientLock* lock = _locks.find(cookie))
            object = lock->object;
        else
            _counters.unknown_locks.add();
        ptlrpc::OstLvb lvb;
        lvb.size_ = _locks.on_glimpse(object);
        auto encoded = ptlrpc::encode_ost_lvb(lvb);
        std::span<const std::byte> buffers[] = {encoded};
        reply(request, *body, msg_flags, 0, buffers);
        return;
    }
    default:
        _counters.bad_requests.add();
        reply(request, *body, msg_flags, -95, {});  // EOPNOTSUPP
    }
}

// The same AST again (the server did not get our reply): the same answer,
// and no second blocking mark, completion or glimpse count.
bool CallbackService::answer_again(const lnet::Request& request)
{
    for (const Answered& answered : _answered)
        if (answered.xid == request.match_bits && answered.peer == request.peer &&
            std::ranges::equal(answered.request, request.bytes)) {
            _counters.duplicates.add();
            send_reply(answered);
            return true;
        }
    return false;
}

// A PUT on portal 16 with match bits = the AST's xid, at 224 if the AST
// asked for adaptive timeouts (as our own requests do), else 0.
void CallbackService::reply(const lnet::Request& request, const ptlrpc::PtlrpcBody& body, uint32_t msg_flags,
                            int32_t status, std::span<const std::span<const std::byte>> buffers)
{
    ptlrpc::ReplyParams params;
    params.status = status;
    uint32_t offset = (msg_flags & ptlrpc::msghdr_at_support) ? ptlrpc::at_reply_offset : 0;
    _answered.push_back({request.peer, request.match_bits, offset, {request.bytes.begin(), request.bytes.end()},
                         ptlrpc::build_reply(body, msg_flags, params, buffers)});
    while (_answered.size() > answered_keep)
        _answered.pop_front();
    send_reply(_answered.back());
}

bool CallbackService::send_reply(const Answered& answered)
{
    auto sent = _transport.endpoint().put_bytes(answered.reply, answered.peer, ptlrpc::portal::ldlm_cb_reply,
                                                answered.xid, lnet::PutOptions{.remote_offset = answered.offset},
                                                _transport);
    if (sent != lnet::SendStatus::sent)
        return false;
    _counters.replies.add();
    return true;
}

}  // namespace ostd::client
