#include "control/ldlm/ldlm_service.hpp"

#include <algorithm>
#include <cerrno>

#include "control/ldlm/lock_wire.hpp"

namespace ostd::control {

namespace ptlrpc = lnet::ptlrpc;

namespace {

ldlm::ClientId client_of(uint64_t export_handle) { return ldlm::ClientId{export_handle}; }

ldlm::ResourceName resource_of(const ptlrpc::LockDesc& desc) { return ldlm::ResourceName{desc.name}; }

AstTarget target_of(const Export& e) { return AstTarget{e.peer, e.home_worker}; }

bool is_glimpse(const RpcCall& call, const ptlrpc::LdlmRequest& request)
{
    if (!(request.flags & ptlrpc::ldlm_flag::has_intent))
        return false;
    auto intent = ptlrpc::decode_ldlm_intent(call.message.buffer(2));
    return intent && (intent->opc & ptlrpc::it_glimpse);
}

// The status an enqueue refusal is answered with; 0: a bad request (-EINVAL).
int32_t refusal_status(ldlm::RefusalReason reason)
{
    switch (reason) {
    case ldlm::RefusalReason::speculative_conflict:
    case ldlm::RefusalReason::group_conflict:
        return -EAGAIN;  // would block
    case ldlm::RefusalReason::client_lock_limit:
    case ldlm::RefusalReason::resource_lock_limit:
        return -EINPROGRESS;  // Lustre's "too many granted locks, retry later"
    default:
        return 0;
    }
}

// The enqueue reply: [ldlm_reply][ost_lvb].
std::vector<std::byte> enqueue_reply(const ptlrpc::PtlrpcBody& body, uint32_t msg_flags, int32_t status,
                                     const ptlrpc::LdlmReply& reply, const ldlm::Lvb& lvb)
{
    auto reply_bytes = ptlrpc::encode_ldlm_reply(reply);
    auto lvb_bytes = ptlrpc::encode_ost_lvb(to_wire(lvb));
    ptlrpc::ReplyParams params;
    params.status = status;
    return ptlrpc::build_reply(body, msg_flags, params,
                               {std::span<const std::byte>(reply_bytes), std::span<const std::byte>(lvb_bytes)});
}

void send_enqueue_reply(const RpcCall& call, int32_t status, const ptlrpc::LdlmReply& reply, const ldlm::Lvb& lvb)
{
    bool at_support = call.message.header.flags & ptlrpc::msghdr_at_support;
    call.replies.send(call.request, ptlrpc::portal::osc_reply, at_support,
                      enqueue_reply(call.body, call.message.header.flags, status, reply, lvb));
}

}  // namespace

LdlmService::LdlmService(ExportTable& exports, ReplyChannel& replies, AstChannel& asts,
                         const LdlmServiceConfig& config, std::function<TimePoint()> now)
    : _exports(exports), _replies(replies), _channel(asts), _config(config), _now(std::move(now)), _ns(config.ns)
{
}

void LdlmService::attach(RpcRouter& router)
{
    router.add(ptlrpc::Opcode::ldlm_enqueue, *this);
    router.add(ptlrpc::Opcode::ldlm_cancel, *this);
}

void LdlmService::serve(const RpcCall& call)
{
    switch (static_cast<ptlrpc::Opcode>(call.body.opc)) {
    case ptlrpc::Opcode::ldlm_enqueue:
        enqueue(call);
        return;
    case ptlrpc::Opcode::ldlm_cancel:
        cancel(call);
        return;
    default:
        call.fail(EOPNOTSUPP);
    }
}

void LdlmService::enqueue(const RpcCall& call)
{
    _stats.enqueues.add();
    auto request = ptlrpc::decode_ldlm_request(call.message.buffer(1));
    if (!request || request->desc.resource_type != ptlrpc::ldlm_extent_type) {
        _stats.malformed.count(request ? ptlrpc::MessageError::bad_resource_type : request.error());
        call.fail(EPROTO);
        return;
    }
    const ptlrpc::LockDesc& desc = request->desc;
    ldlm::ResourceName resource = resource_of(desc);
    if (is_glimpse(call, *request) && start_glimpse(call, resource))
        return;

    ldlm::EnqueueRequest wanted;
    wanted.resource = resource;
    wanted.mode = static_cast<ldlm::LockMode>(desc.req_mode);
    wanted.extent = {desc.extent.start, desc.extent.end};
    wanted.gid = desc.extent.gid;
    wanted.flags = request->flags;
    wanted.client = client_of(call.client->handle);
    wanted.client_handle = request->handles[0];
    ldlm::EnqueueResult result = _ns.enqueue(wanted);

    ptlrpc::LdlmReply reply;
    reply.desc = desc;
    if (result.status == ldlm::EnqueueStatus::refused) {
        if (int32_t status = refusal_status(result.reason); status != 0)
            send_enqueue_reply(call, status, reply, {});
        else
            call.fail(EINVAL);
        return;
    }
    bool granted = result.status == ldlm::EnqueueStatus::granted;
    auto info = _ns.lock_info(result.handle);
    uint64_t gid = info ? info->gid : 0;
    reply.desc = lock_desc(resource, wanted.mode, result.extent, gid, granted);
    reply.flags = result.flags;
    reply.handle = result.handle.cookie;
    send_enqueue_reply(call, 0, reply, _ns.lvb(resource).value_or(ldlm::Lvb{}));
    run_actions(result.actions);
}

void LdlmService::cancel(const RpcCall& call)
{
    _stats.cancels.add();
    auto request = ptlrpc::decode_ldlm_request(call.message.buffer(1));
    if (!request) {
        _stats.malformed.count(request.error());
        call.fail(EPROTO);
        return;
    }
    std::vector<ldlm::Action> actions;
    ldlm::ClientId caller = client_of(call.client->handle);
    for (uint32_t i = 0; i < request->lock_count && i < request->handles.size(); ++i) {
        ldlm::LockHandle handle{request->handles[i]};
        auto info = _ns.lock_info(handle);
        if (!info || info->client != caller)
            continue;  // not the caller's: someone else's locks are not its to drop
        ldlm::CancelResult result = _ns.cancel(handle);
        forget_callback(handle.cookie);
        actions.insert(actions.end(), result.actions.begin(), result.actions.end());
    }
    call.reply({});
    run_actions(actions);
}

// Glimpse intent (DESIGN.md 6): false when the lock can simply be granted.
bool LdlmService::start_glimpse(const RpcCall& call, const ldlm::ResourceName& resource)
{
    // A resend of a glimpse still in progress (same peer, same xid): the
    // first is answered when its ASTs are; asking the holders again would
    // only double the ASTs.
    for (const auto& [id, pending] : _glimpses)
        if (pending.request.xid == call.request.xid && pending.request.peer == call.request.peer) {
            _stats.glimpse_resends.add();
            return true;
        }
    ldlm::GlimpsePlan plan = _ns.plan_glimpse(resource);
    if (plan.decision == ldlm::GlimpseDecision::grant)
        return false;
    uint64_t id = ++_last_glimpse;
    PendingGlimpse glimpse{call.request, call.body, call.message.header.flags, {}, resource, 0, {}};
    auto request = ptlrpc::decode_ldlm_request(call.message.buffer(1));
    glimpse.desc = request ? request->desc : ptlrpc::LockDesc{};
    _glimpses.emplace(id, std::move(glimpse));
    TimePoint deadline = _now() + _config.glimpse_timeout;
    size_t sent = 0;
    for (const ldlm::GlimpseTarget& target : plan.targets) {
        const Export* holder = _exports.find(target.client.value);
        auto lock = _ns.lock_info(target.lock);
        if (!holder || !lock) {
            _stats.ast_no_export.add();
            continue;
        }
        if (send_ast(AstKind::glimpse, *holder, build_glimpse_ast(*lock), deadline, id)) {
            _stats.glimpse_asts.add();
            ++sent;
        }
    }
    _glimpses.at(id).outstanding = sent;
    if (sent == 0)
        finish_glimpse(id);
    return true;
}

// Answers the glimpse enqueue "aborted" (301) with the merged size: no lock.
void LdlmService::finish_glimpse(uint64_t id)
{
    auto it = _glimpses.find(id);
    if (it == _glimpses.end())
        return;
    PendingGlimpse& g = it->second;
    ldlm::Lvb merged = _ns.apply_glimpse_answers(g.resource, g.answers);
    ptlrpc::LdlmReply reply;
    reply.desc = g.desc;
    bool at_support = g.msg_flags & ptlrpc::msghdr_at_support;
    _replies.send(g.request, ptlrpc::portal::osc_reply, at_support,
                  enqueue_reply(g.body, g.msg_flags, ptlrpc::eldlm_lock_aborted, reply, merged));
    _stats.glimpses.add();
    _glimpses.erase(it);
}

void LdlmService::run_actions(const std::vector<ldlm::Action>& actions)
{
    std::vector<uint64_t> orphans;  // holders whose export is gone (evicted elsewhere, e.g. the CLI)
    for (const ldlm::Action& action : actions) {
        const Export* to = _exports.find(action.client.value);
        if (!to) {
            _stats.ast_no_export.add();
            if (action.kind == ldlm::ActionKind::blocking_ast &&
                std::find(orphans.begin(), orphans.end(), action.client.value) == orphans.end())
                orphans.push_back(action.client.value);
            continue;
        }
        if (action.kind == ldlm::ActionKind::blocking_ast)
            send_blocking(action, *to);
        else
            send_completion(action, *to);
    }
    // Nobody will cancel an orphan's locks: drop them now, or the waiters wait forever.
    for (uint64_t holder : orphans) {
        ldlm::CancelResult result = _ns.cancel_all(client_of(holder));
        forget_callbacks_of(holder);
        run_actions(result.actions);
    }
}

void LdlmService::send_blocking(const ldlm::Action& action, const Export& to)
{
    ptlrpc::LockDesc blocker;
    if (auto b = _ns.lock_info(action.blocker))
        blocker = lock_desc(b->resource, b->mode, b->requested, b->gid, b->state == ldlm::LockState::granted);
    else
        blocker = lock_desc(action.resource, action.mode, action.extent, 0, true);
    TimePoint deadline = _now() + _config.callback_timeout;
    send_ast(AstKind::blocking, to, build_blocking_ast(action, blocker), deadline, 0, action.lock.cookie);
    _stats.blocking_asts.add();
    // The deadline runs even if the send was refused: the lock must go either way.
    forget_callback(action.lock.cookie);
    _callbacks[action.lock.cookie] = Callback{to.handle, deadline};
    _callback_deadlines.emplace(deadline, action.lock.cookie);
}

void LdlmService::send_completion(const ldlm::Action& action, const Export& to)
{
    auto info = _ns.lock_info(action.lock);
    ldlm::Lvb lvb = _ns.lvb(action.resource).value_or(ldlm::Lvb{});
    send_ast(AstKind::completion, to, build_completion_ast(action, info ? info->gid : 0, lvb),
             _now() + _config.callback_timeout);
    _stats.completion_asts.add();
}

bool LdlmService::send_ast(AstKind kind, const Export& to, std::vector<std::byte> request, TimePoint deadline,
                           uint64_t glimpse, uint64_t lock)
{
    uint64_t xid = ++_last_xid;
    AstTarget target = target_of(to);
    if (!_channel.send(target, xid, std::move(request))) {
        _stats.ast_send_refused.add();
        return false;
    }
    _asts.emplace(xid, PendingAst{kind, target, deadline, glimpse, lock});
    _ast_deadlines.emplace(deadline, xid);
    return true;
}

void LdlmService::on_ast_reply(const dataplane::IncomingRpc& reply)
{
    auto it = _asts.find(reply.xid);
    if (it == _asts.end() || it->second.target.peer.nid != reply.peer.nid) {
        _stats.ast_stray_replies.add();
        return;
    }
    PendingAst ast = it->second;
    _ast_deadlines.erase({ast.deadline, reply.xid});
    _asts.erase(it);
    _stats.ast_replies.add();
    if (ast.kind == AstKind::blocking) {
        // Answered 0, the cancel follows. Answered with an error, the client
        // holds no such lock (its cancel crossed our AST, or it lost the lock):
        // as Lustre does, the lock is cancelled here rather than the client
        // evicted at the callback deadline.
        bool refused = false;
        if (auto message = ptlrpc::decode_message(reply.bytes))
            if (auto body = ptlrpc::check_reply(*message))
                refused = body->status != 0;
        auto callback = refused ? _callbacks.find(ast.lock) : _callbacks.end();
        if (callback != _callbacks.end())
            drop_unknown_lock(ast.lock, callback->second.export_handle);
        return;
    }
    if (ast.kind != AstKind::glimpse)
        return;  // a completion needs nothing
    auto g = _glimpses.find(ast.glimpse);
    if (g == _glimpses.end())
        return;
    auto message = ptlrpc::decode_message(reply.bytes);
    if (message) {
        auto body = ptlrpc::check_reply(*message);
        auto lvb = ptlrpc::decode_ost_lvb(message->buffer(1));
        if (body && body->status == 0 && lvb)
            g->second.answers.push_back(from_wire(*lvb));
    }
    if (--g->second.outstanding == 0)
        finish_glimpse(ast.glimpse);
}

void LdlmService::drop_unknown_lock(uint64_t lock_cookie, uint64_t export_handle)
{
    ldlm::LockHandle handle{lock_cookie};
    auto info = _ns.lock_info(handle);
    if (!info || info->client != client_of(export_handle))
        return;
    _stats.ast_lock_unknown.add();
    ldlm::CancelResult result = _ns.cancel(handle);
    forget_callback(lock_cookie);
    run_actions(result.actions);
}

size_t LdlmService::tick(TimePoint now)
{
    return expire_asts(now) + expire_callbacks(now);
}

size_t LdlmService::expire_asts(TimePoint now)
{
    size_t expired = 0;
    while (!_ast_deadlines.empty() && _ast_deadlines.begin()->first <= now) {
        uint64_t xid = _ast_deadlines.begin()->second;
        _ast_deadlines.erase(_ast_deadlines.begin());
        auto it = _asts.find(xid);
        if (it == _asts.end())
            continue;
        PendingAst ast = it->second;
        _asts.erase(it);
        _channel.forget(ast.target, xid);
        _stats.ast_reply_timeouts.add();
        ++expired;
        if (ast.kind == AstKind::glimpse) {
            auto g = _glimpses.find(ast.glimpse);
            if (g != _glimpses.end() && --g->second.outstanding == 0)
                finish_glimpse(ast.glimpse);
        }
    }
    return expired;
}

size_t LdlmService::expire_callbacks(TimePoint now)
{
    std::vector<uint64_t> late;
    while (!_callback_deadlines.empty() && _callback_deadlines.begin()->first <= now) {
        uint64_t cookie = _callback_deadlines.begin()->second;
        _callback_deadlines.erase(_callback_deadlines.begin());
        auto it = _callbacks.find(cookie);
        if (it == _callbacks.end())
            continue;
        uint64_t holder = it->second.export_handle;
        _callbacks.erase(it);
        if (_ns.lock_info(ldlm::LockHandle{cookie}) && std::find(late.begin(), late.end(), holder) == late.end())
            late.push_back(holder);
    }
    for (uint64_t holder : late)
        evict(holder);
    return late.size();
}

void LdlmService::forget_callback(uint64_t lock_cookie)
{
    auto it = _callbacks.find(lock_cookie);
    if (it == _callbacks.end())
        return;
    _callback_deadlines.erase({it->second.deadline, lock_cookie});
    _callbacks.erase(it);
}

void LdlmService::forget_callbacks_of(uint64_t export_handle)
{
    for (auto it = _callbacks.begin(); it != _callbacks.end();) {
        if (it->second.export_handle == export_handle) {
            _callback_deadlines.erase({it->second.deadline, it->first});
            it = _callbacks.erase(it);
        } else {
            ++it;
        }
    }
}

bool LdlmService::evict(uint64_t export_handle)
{
    bool evicted = _exports.evict(export_handle);
    ldlm::CancelResult result = _ns.cancel_all(client_of(export_handle));
    forget_callbacks_of(export_handle);
    if (evicted || result.cancelled > 0)
        _stats.evictions.add();
    run_actions(result.actions);
    return evicted;
}

void LdlmService::release(const Export& gone)
{
    ldlm::CancelResult result = _ns.cancel_all(client_of(gone.handle));
    forget_callbacks_of(gone.handle);
    run_actions(result.actions);
}

void LdlmService::note_object_size(uint64_t id, uint64_t seq, uint64_t size)
{
    ldlm::Lvb lvb;
    lvb.size = size;
    _ns.merge_lvb(ldlm::ResourceName{{id, seq, 0, 0}}, lvb);
}

void LdlmService::set_object_size(uint64_t id, uint64_t seq, uint64_t size)
{
    ldlm::ResourceName name{{id, seq, 0, 0}};
    ldlm::Lvb lvb = _ns.lvb(name).value_or(ldlm::Lvb{});
    lvb.size = size;
    _ns.set_lvb(name, lvb);
}

}  // namespace ostd::control
