#include "client/lock_cache.hpp"

namespace ostd::client {

namespace mode = ptlrpc::lock_mode;
using Clock = std::chrono::steady_clock;

bool mode_covers(uint32_t held, uint32_t wanted)
{
    if (held == wanted)
        return true;
    switch (held) {
    case mode::ex: return wanted != mode::group;
    case mode::pw: return wanted == mode::pr || wanted == mode::cr || wanted == mode::nl;
    case mode::pr: return wanted == mode::cr || wanted == mode::nl;
    default: return false;
    }
}

std::string_view mode_name(uint32_t m)
{
    switch (m) {
    case mode::ex: return "EX";
    case mode::pw: return "PW";
    case mode::pr: return "PR";
    case mode::cw: return "CW";
    case mode::cr: return "CR";
    case mode::nl: return "NL";
    case mode::group: return "GROUP";
    default: return "?";
    }
}

bool is_unused(const ClientLock& lock)
{
    return lock.state == LockState::granted && lock.users == 0 && !lock.blocked && !lock.async;
}

ptlrpc::LockDesc extent_lock_desc(ObjectId object, uint32_t mode, Extent extent, uint64_t gid)
{
    ptlrpc::LockDesc desc;
    desc.resource_type = ptlrpc::ldlm_extent_type;
    desc.name = {object.id, object.seq, 0, 0};
    desc.req_mode = mode;
    desc.extent = {extent.start, extent.end, gid};
    return desc;
}

namespace {

uint64_t time_based_cookie()
{
    auto now = std::chrono::system_clock::now().time_since_epoch();
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()) | 1;
}

Request ldlm_request(ptlrpc::Opcode opc, const ptlrpc::LdlmRequest& body)
{
    Request request;
    request.opc = opc;
    request.buffers = {ptlrpc::encode_ldlm_request(body)};
    return request;
}

RpcError bad_reply(std::string detail) { return RpcError{RpcErrc::bad_reply, std::move(detail), std::nullopt, 0}; }

// What an enqueue reply says about the lock: its server handle, LVB, and
// granted (with the granted extent) or waiting -- unless a completion AST
// came first.
lnet::Result<bool, RpcError> apply_enqueue_reply(ClientLock& lock, const Reply& reply, LockCounters& counters)
{
    auto granted = ptlrpc::decode_ldlm_reply(reply.buffer(1));
    if (!granted)
        return bad_reply("LDLM_ENQUEUE: bad ldlm_reply");
    lock.server_handle = granted->handle;
    if (auto lvb = ptlrpc::decode_ost_lvb(reply.buffer(2)))
        lock.lvb = *lvb;
    if (lock.state == LockState::enqueuing) {
        if (granted->flags & ptlrpc::ldlm_flag::block_granted) {
            lock.state = LockState::waiting;
            counters.waits.add();
        } else {
            lock.state = LockState::granted;
            lock.extent = {granted->desc.extent.start, granted->desc.extent.end};
        }
    }
    return true;
}

}  // namespace

LockCache::LockCache(RpcClient& rpc, LockCacheConfig config)
    : _rpc(rpc), _config(config), _next_cookie(config.first_cookie ? config.first_cookie : time_based_cookie())
{
}

ClientLock* LockCache::find(uint64_t cookie)
{
    auto it = _locks.find(cookie);
    return it == _locks.end() ? nullptr : &it->second;
}

void LockCache::forget(uint64_t cookie)
{
    auto it = _locks.find(cookie);
    if (it == _locks.end())
        return;
    if (it->second.lru_stamp != 0)
        _lru.erase(it->second.lru_stamp);
    _locks.erase(it);
}

void LockCache::update_lru(ClientLock& lock)
{
    bool listed = lock.lru_stamp != 0;
    if (is_unused(lock) == listed)
        return;
    if (listed) {
        _lru.erase(lock.lru_stamp);
        lock.lru_stamp = 0;
    } else {
        lock.lru_stamp = ++_lru_clock;
        _lru.emplace(lock.lru_stamp, lock.cookie);
    }
}

// Oldest first, as Lustre's LRU cancel does: each is flushed like a lock
// called back, then cancelled. cancel() always forgets the lock, so this ends.
void LockCache::trim_lru()
{
    while (_lru.size() > _config.lru_size && !_cancelling) {
        auto [stamp, cookie] = *_lru.begin();
        ClientLock* lock = find(cookie);
        if (!lock || !is_unused(*lock)) {  // in use again (a user taken directly): release() puts it back
            _lru.erase(stamp);
            if (lock)
                lock->lru_stamp = 0;
            continue;
        }
        _counters.lru_cancels.add();
        cancel(cookie);  // a failure is the server's to notice
    }
}

std::vector<uint64_t> LockCache::lru_order() const
{
    std::vector<uint64_t> out;
    for (const auto& [stamp, cookie] : _lru)
        out.push_back(cookie);
    return out;
}

ClientLock* LockCache::match(ObjectId object, uint32_t mode, Extent extent)
{
    for (auto& [cookie, lock] : _locks)
        if (lock.object == object && lock.state == LockState::granted && !lock.blocked && !lock.async &&
            mode_covers(lock.mode, mode) && lock.extent.covers(extent))
            return &lock;
    return nullptr;
}

const ClientLock* LockCache::find_covering(ObjectId object, uint32_t mode, Extent extent) const
{
    const ClientLock* found = nullptr;
    for (const auto& [cookie, lock] : _locks) {
        if (lock.object != object || lock.blocked || !mode_covers(lock.mode, mode) || !lock.requested.covers(extent))
            continue;
        if (lock.state == LockState::granted && !lock.async && !lock.extent.covers(extent))
            continue;
        bool exact = (lock.state == LockState::granted && !lock.async ? lock.extent : lock.requested) == extent;
        if (exact)
            return &lock;
        if (!found)
            found = &lock;
    }
    return found;
}

lnet::Result<ClientLock*, RpcError> LockCache::acquire(ObjectId object, uint32_t mode, Extent extent, uint32_t flags)
{
    collect_async();
    if (!match(object, mode, extent))
        if (auto waited = wait_async_covering(object, mode, extent); !waited)
            return waited.error();
    if (ClientLock* held = match(object, mode, extent)) {
        _counters.matches.add();
        ++held->users;
        update_lru(*held);
        return held;
    }
    return enqueue(object, mode, extent, flags);
}

lnet::Result<ClientLock*, RpcError> LockCache::acquire_group(ObjectId object, uint64_t gid)
{
    return enqueue(object, mode::group, {0, object_eof}, 0, gid);
}

lnet::Result<bool, RpcError> LockCache::wait_async_covering(ObjectId object, uint32_t mode, Extent extent)
{
    auto pending = [&] {
        for (const auto& [call, cookie] : _async)
            if (const ClientLock* lock = find(cookie))
                if (lock->object == object && !lock->blocked && mode_covers(lock->mode, mode) &&
                    lock->requested.covers(extent))
                    return true;
        return false;
    };
    while (pending())
        if (auto polled = _rpc.poll(std::chrono::milliseconds(50)); !polled)
            return polled.error();
        else
            collect_async();
    return true;
}

lnet::Result<uint64_t, RpcError> LockCache::enqueue_async(ObjectId object, uint32_t mode, Extent extent,
                                                          uint32_t flags)
{
    while (_async.size() >= std::max<size_t>(1, _config.max_async_in_flight)) {  // like Lustre's rpcs in flight
        if (auto polled = _rpc.poll(std::chrono::milliseconds(50)); !polled)
            return polled.error();
        collect_async();
    }
    uint64_t cookie = _next_cookie++;
    ptlrpc::LdlmRequest body{flags, 1, extent_lock_desc(object, mode, extent), {cookie, 0}};
    auto call = _rpc.start(ldlm_request(ptlrpc::Opcode::ldlm_enqueue, body));
    if (!call)
        return call.error();
    _locks[cookie] = ClientLock{cookie, 0, object, mode, extent, extent, flags, LockState::enqueuing, false, 0, {},
                                0, true};
    _async.emplace(*call, cookie);
    _counters.enqueues.add();
    _counters.async_enqueues.add();
    return cookie;
}

void LockCache::collect_async()
{
    if (_collecting || _async.empty())
        return;
    _collecting = true;
    for (auto it = _async.begin(); it != _async.end();) {
        auto done = _rpc.take(it->first);
        if (!done) {
            ++it;
            continue;
        }
        uint64_t cookie = it->second;
        it = _async.erase(it);
        on_async_reply(cookie, std::move(*done));
        it = _async.begin();  // a nested call may have changed the map
    }
    _collecting = false;
}

void LockCache::on_async_reply(uint64_t cookie, RpcResult reply)
{
    ClientLock* lock = find(cookie);
    if (!reply || reply->status() != 0) {
        if (reply && reply->status() != 0)
            _counters.async_refused.add();
        forget(cookie);  // refused or lost: as if never asked
        return;
    }
    if (!lock) {  // cancelled meanwhile: give the server's lock back
        if (auto granted = ptlrpc::decode_ldlm_reply(reply->buffer(1))) {
            ptlrpc::LdlmRequest body{0, 1, granted->desc, {granted->handle, 0}};
            _counters.cancels.add();
            _rpc.call(ldlm_request(ptlrpc::Opcode::ldlm_cancel, body));
        }
        return;
    }
    lock->async = false;
    if (!apply_enqueue_reply(*lock, *reply, _counters))
        forget(cookie);
    else
        update_lru(*lock);  // a granted lockahead lock is unused until I/O takes it
}


void LockCache::release(ClientLock& lock)
{
    if (lock.users > 0)
        --lock.users;
    update_lru(lock);
    if (lock.users == 0 && (lock.blocked || _lru.size() > _config.lru_size))
        run_pending_cancels();
}

lnet::Result<ClientLock*, RpcError> LockCache::enqueue(ObjectId object, uint32_t mode, Extent extent, uint32_t flags,
                                                      uint64_t gid)
{
    uint64_t cookie = _next_cookie++;
    ClientLock& lock = _locks[cookie];
    lock = ClientLock{cookie, 0, object, mode, extent, extent, flags, LockState::enqueuing, false, 1, {}, gid, false};
    _counters.enqueues.add();

    ptlrpc::LdlmRequest body{flags, 1, extent_lock_desc(object, mode, extent, gid), {cookie, 0}};
    auto reply = _rpc.call(ldlm_request(ptlrpc::Opcode::ldlm_enqueue, body));
    if (!reply) {
        forget(cookie);
        return reply.error();
    }
    if (reply->status() != 0) {
        forget(cookie);
        return refused(_rpc, ptlrpc::Opcode::ldlm_enqueue, reply->status());
    }
    ClientLock* held = find(cookie);  // a completion AST may have come first
    if (auto applied = apply_enqueue_reply(*held, *reply, _counters); !applied) {
        forget(cookie);
        return applied.error();
    }
    if (held->state == LockState::waiting)
        if (auto waited = wait_granted(cookie); !waited) {
            if (ClientLock* gone = find(cookie))
                gone->users = 0;
            cancel(cookie);
            return waited.error();
        }
    return find(cookie);
}

lnet::Result<bool, RpcError> LockCache::wait_granted(uint64_t cookie)
{
    auto deadline = Clock::now() + _config.grant_timeout;
    for (;;) {
        ClientLock* lock = find(cookie);
        if (!lock)
            return bad_reply("lock " + std::to_string(cookie) + " vanished while waiting for its grant");
        if (lock->state == LockState::granted)
            return true;
        auto now = Clock::now();
        if (now >= deadline)
            return RpcError{RpcErrc::timeout,
                            "LDLM_ENQUEUE to " + lnet::format_nid(_rpc.config().server.nid) +
                                ": no completion AST within " + std::to_string(_config.grant_timeout.count()) + " ms",
                            std::nullopt, 0};
        auto wait = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
        if (auto polled = _rpc.poll(std::min(wait, std::chrono::milliseconds(50))); !polled)
            return polled.error();
    }
}

lnet::Result<bool, RpcError> LockCache::cancel(uint64_t cookie)
{
    ClientLock* lock = find(cookie);
    if (!lock)
        return true;
    bool outer = !_cancelling;
    _cancelling = true;  // the flush polls: no other cancel may start under it
    lnet::Result<bool, RpcError> flushed = true;
    if (_flusher && lock->state == LockState::granted)
        flushed = _flusher(*lock);
    lock = find(cookie);
    lnet::Result<bool, RpcError> result = flushed;
    if (lock && lock->server_handle != 0) {
        ptlrpc::LdlmRequest body{0, 1, extent_lock_desc(lock->object, lock->mode, lock->extent, lock->gid),
                                 {lock->server_handle, 0}};
        forget(cookie);  // gone for us from now on: no I/O may match it
        _counters.cancels.add();
        auto reply = _rpc.call(ldlm_request(ptlrpc::Opcode::ldlm_cancel, body));
        if (!reply)
            result = reply.error();
        else if (reply->status() != 0 && flushed)
            result = refused(_rpc, ptlrpc::Opcode::ldlm_cancel, reply->status());
    } else {
        forget(cookie);
    }
    if (outer)
        _cancelling = false;
    return result;
}

lnet::Result<bool, RpcError> LockCache::cancel_all()
{
    lnet::Result<bool, RpcError> result = true;
    while (!_async.empty()) {  // let every async enqueue land first (each ends: reply or timeout)
        if (auto polled = _rpc.poll(std::chrono::milliseconds(50)); !polled) {
            result = polled.error();
            break;
        }
        collect_async();
    }
    while (!_locks.empty())
        if (auto cancelled = cancel(_locks.begin()->first); !cancelled && result)
            result = cancelled.error();
    return result;
}

void LockCache::run_pending_cancels()
{
    if (_cancelling)
        return;
    for (;;) {
        uint64_t next = 0;
        for (const auto& [cookie, lock] : _locks)
            if (lock.blocked && lock.users == 0 && lock.state == LockState::granted && !lock.async) {
                next = cookie;
                break;
            }
        if (next == 0)
            break;
        cancel(next);  // a failure is the server's to notice (it evicts us)
    }
    trim_lru();
}

lnet::Result<GlimpseResult, RpcError> LockCache::glimpse(ObjectId object)
{
    uint64_t cookie = _next_cookie++;
    Extent whole{0, object_eof};
    _locks[cookie] = ClientLock{cookie, 0, object, mode::pr, whole, whole, ptlrpc::ldlm_flag::has_intent,
                                LockState::enqueuing, false, 1, {}, 0, false};
    _counters.glimpses.add();
    ptlrpc::LdlmRequest body{ptlrpc::ldlm_flag::has_intent, 1, extent_lock_desc(object, mode::pr, whole),
                             {cookie, 0}};
    Request request = ldlm_request(ptlrpc::Opcode::ldlm_enqueue, body);
    auto intent = ptlrpc::encode_ldlm_intent({ptlrpc::it_glimpse});
    request.buffers.emplace_back(intent.begin(), intent.end());
    auto reply = _rpc.call(std::move(request));
    if (!reply) {
        forget(cookie);
        return reply.error();
    }
    int32_t status = reply->status();
    auto lvb = ptlrpc::decode_ost_lvb(reply->buffer(2));
    if (status == ptlrpc::eldlm_lock_aborted || status != 0) {
        forget(cookie);
        if (status != ptlrpc::eldlm_lock_aborted)
            return refused(_rpc, ptlrpc::Opcode::ldlm_enqueue, status);
        if (!lvb)
            return bad_reply("LDLM_ENQUEUE (glimpse): aborted without an LVB");
        return GlimpseResult{lvb->size_, false};
    }
    auto granted = ptlrpc::decode_ldlm_reply(reply->buffer(1));
    ClientLock* lock = find(cookie);
    if (!granted || !lock) {
        forget(cookie);
        return bad_reply("LDLM_ENQUEUE (glimpse): bad ldlm_reply");
    }
    lock->server_handle = granted->handle;
    lock->users = 0;
    if (lvb)
        lock->lvb = *lvb;
    if (lock->state == LockState::enqueuing) {
        bool waits = granted->flags & ptlrpc::ldlm_flag::block_granted;
        lock->state = waits ? LockState::waiting : LockState::granted;
        if (!waits)
            lock->extent = {granted->desc.extent.start, granted->desc.extent.end};
    }
    update_lru(*lock);
    if (lock->state == LockState::waiting)
        if (auto waited = wait_granted(cookie); !waited) {
            cancel(cookie);
            return waited.error();
        }
    lock = find(cookie);
    return GlimpseResult{lock ? lock->lvb.size_ : (lvb ? lvb->size_ : 0), true};
}

bool LockCache::on_blocking(uint64_t cookie)
{
    _counters.blocking_asts.add();
    ClientLock* lock = find(cookie);
    if (!lock)
        return false;
    lock->blocked = true;
    update_lru(*lock);  // called back: it goes by run_pending_cancels(), not the LRU
    return true;
}

bool LockCache::on_completion(uint64_t cookie, const ptlrpc::LockDesc& desc,
                              const std::optional<ptlrpc::OstLvb>& lvb)
{
    _counters.completion_asts.add();
    ClientLock* lock = find(cookie);
    if (!lock)
        return false;
    lock->state = LockState::granted;
    if (desc.granted_mode != 0)
        lock->mode = desc.granted_mode;
    lock->extent = {desc.extent.start, desc.extent.end};
    if (lvb)
        lock->lvb = *lvb;
    update_lru(*lock);  // granted to nobody in particular: e.g. a glimpse's lock
    return true;
}

uint64_t LockCache::known_size(ObjectId object) const
{
    uint64_t size = _size_source ? _size_source(object) : 0;
    for (const auto& [cookie, lock] : _locks)
        if (lock.object == object)
            size = std::max(size, lock.lvb.size_);
    return size;
}

std::vector<ClientLock> LockCache::snapshot() const
{
    std::vector<ClientLock> out;
    for (const auto& [cookie, lock] : _locks)
        out.push_back(lock);
    return out;
}

}  // namespace ostd::client
