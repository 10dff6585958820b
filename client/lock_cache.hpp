// The client's extent locks on one OST, OSC-like (DESIGN.md 6, 7): match a
// held lock before enqueuing (a granted lock whose mode covers the request's
// -- EX covers all, PW covers PR -- and whose extent covers the I/O),
// LDLM_ENQUEUE with our cookie otherwise (granted at once, or BLOCK_GRANTED:
// wait for the completion AST while polling), LDLM_CANCEL, the glimpse
// (PR enqueue with an IT_GLIMPSE intent).
//
// ASTs come in through CallbackService, which calls on_blocking /
// on_completion / known_size. A blocking AST marks the lock; the flush of its
// dirty data and the cancel run from run_pending_cancels() -- outside any
// other cancel, and only once no operation is using the lock (users == 0).
// Locks are held by value in a map keyed by our cookie; pointers to them stay
// valid until the lock is cancelled (std::map nodes do not move).
//
// The LRU (Lustre's lru_size): unused locks -- granted, no user, not called
// back, lockahead locks included -- are kept in the order they became unused;
// beyond LockCacheConfig::lru_size the oldest are flushed and cancelled (a
// real LDLM_CANCEL), from run_pending_cancels(), i.e. the poll hook, and from
// release(). A lock in use leaves the LRU and re-enters at the young end.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "client/object_io.hpp"
#include "lnet_core/ptlrpc/ldlm_wire.hpp"

namespace ostd::client {

enum class LockState : uint8_t { enqueuing, waiting, granted };

struct Extent {
    uint64_t start = 0;
    uint64_t end = object_eof;  // inclusive
    bool covers(const Extent& other) const { return start <= other.start && other.end <= end; }
    bool overlaps(const Extent& other) const { return start <= other.end && other.start <= end; }
    friend bool operator==(const Extent&, const Extent&) = default;
};

struct ClientLock {
    uint64_t cookie = 0;         // ours: handle[0] of enqueues and ASTs
    uint64_t server_handle = 0;  // the server's: in cancels and I/O (o_handle)
    ObjectId object;
    uint32_t mode = 0;           // ptlrpc::lock_mode
    Extent requested;
    Extent extent;               // granted (the request's until granted)
    uint32_t flags = 0;          // what the enqueue carried
    LockState state = LockState::enqueuing;
    bool blocked = false;        // a blocking AST came: flush and cancel when unused
    unsigned users = 0;
    ptlrpc::OstLvb lvb;          // from the enqueue reply or the completion AST
    uint64_t gid = 0;            // GROUP locks: the group id
    bool async = false;          // sent by enqueue_async(); its reply not handled yet
    uint64_t lru_stamp = 0;      // its place in the LRU while unused (0: not in it)
};

// Granted, nobody using it, not called back, not waiting for its reply: an
// LRU candidate.
bool is_unused(const ClientLock& lock);

// Does a lock of mode `held` serve a request for `wanted`?
bool mode_covers(uint32_t held, uint32_t wanted);
std::string_view mode_name(uint32_t mode);

struct LockCacheConfig {
    std::chrono::milliseconds grant_timeout{30'000};  // how long to wait for a completion AST
    uint64_t first_cookie = 0;                        // 0: time-based
    size_t max_async_in_flight = 32;                  // enqueue_async() polls while this many are out
    // Unused locks kept; beyond this the oldest are cancelled. Above the 1023
    // extents one lockahead call may ask for, so a batch never cancels its own
    // locks before the I/O uses them (Lustre's static default is 100 per CPU).
    size_t lru_size = default_lru_size;
    static constexpr size_t default_lru_size = 1024;
};

struct LockCounters {
    lnet::Counter enqueues;
    lnet::Counter matches;      // requests served by a held lock
    lnet::Counter waits;        // BLOCK_GRANTED replies
    lnet::Counter cancels;
    lnet::Counter blocking_asts;
    lnet::Counter completion_asts;
    lnet::Counter glimpse_asts;
    lnet::Counter glimpses;
    lnet::Counter async_enqueues;  // sent without waiting (lockahead)
    lnet::Counter async_refused;   // ... refused by the server (silently dropped)
    lnet::Counter lru_cancels;     // unused locks cancelled because the LRU was full
};

struct GlimpseResult {
    uint64_t size = 0;
    bool lock_granted = false;  // false: "aborted" (status 301), size from the LVB
};

class LockCache {
public:
    // Flushes the dirty data under a lock before it is cancelled.
    using Flusher = std::function<lnet::Result<bool, RpcError>(const ClientLock&)>;
    // The size this client knows for an object, unflushed data included.
    using SizeSource = std::function<uint64_t(ObjectId)>;

    LockCache(RpcClient& rpc, LockCacheConfig config = {});

    void set_flusher(Flusher flusher) { _flusher = std::move(flusher); }
    void set_size_source(SizeSource source) { _size_source = std::move(source); }

    // A held lock covering [extent] in a mode covering `mode`, else a new one
    // (flags: e.g. NO_EXPANSION). The lock comes back with one more user:
    // give it back with release().
    lnet::Result<ClientLock*, RpcError> acquire(ObjectId object, uint32_t mode, Extent extent, uint32_t flags = 0);
    void release(ClientLock& lock);
    // A granted, unblocked lock serving the request (no new user), or nullptr.
    ClientLock* match(ObjectId object, uint32_t mode, Extent extent);
    // A lock we hold or are getting (granted, waiting or still enqueuing;
    // not called back) in a mode covering `mode` whose extent covers
    // [extent]; one with exactly that extent first. nullptr if none.
    const ClientLock* find_covering(ObjectId object, uint32_t mode, Extent extent) const;

    // Sends an enqueue and returns at once with the new lock's cookie (the
    // lock is `enqueuing`, no user). The reply is handled by collect_async()
    // from the poll hook: granted or waiting as usual; a refusal (e.g.
    // SPECULATIVE's -EAGAIN) drops the lock silently.
    lnet::Result<uint64_t, RpcError> enqueue_async(ObjectId object, uint32_t mode, Extent extent, uint32_t flags);
    // Handles the replies of async enqueues that have arrived. Not re-entered.
    void collect_async();
    size_t async_in_flight() const { return _async.size(); }
    // A whole-file GROUP lock of group `gid`, waited for (one user: release()).
    lnet::Result<ClientLock*, RpcError> acquire_group(ObjectId object, uint64_t gid);

    // Flushes (through the flusher) and sends LDLM_CANCEL; the lock is gone
    // afterwards, whatever the server said.
    lnet::Result<bool, RpcError> cancel(uint64_t cookie);
    lnet::Result<bool, RpcError> cancel_all();

    lnet::Result<GlimpseResult, RpcError> glimpse(ObjectId object);

    // AST entry points (CallbackService). False: no such lock.
    bool on_blocking(uint64_t cookie);
    bool on_completion(uint64_t cookie, const ptlrpc::LockDesc& desc, const std::optional<ptlrpc::OstLvb>& lvb);
    uint64_t on_glimpse(ObjectId object) { _counters.glimpse_asts.add(); return known_size(object); }
    uint64_t known_size(ObjectId object) const;
    // Flush and cancel every blocked lock nobody uses, then the oldest unused
    // locks beyond the LRU size. Not re-entered.
    void run_pending_cancels();
    size_t unused_count() const { return _lru.size(); }
    // Cookies of the unused locks, oldest first.
    std::vector<uint64_t> lru_order() const;

    std::vector<ClientLock> snapshot() const;
    ClientLock* find(uint64_t cookie);
    const LockCounters& counters() const { return _counters; }
    RpcClient& rpc() { return _rpc; }

private:
    lnet::Result<ClientLock*, RpcError> enqueue(ObjectId object, uint32_t mode, Extent extent, uint32_t flags,
                                                uint64_t gid = 0);
    // Polls until no async enqueue covering the request is in flight.
    lnet::Result<bool, RpcError> wait_async_covering(ObjectId object, uint32_t mode, Extent extent);
    void on_async_reply(uint64_t cookie, RpcResult reply);
    // Polls until the lock is granted or the grant timeout passes.
    lnet::Result<bool, RpcError> wait_granted(uint64_t cookie);
    void forget(uint64_t cookie);
    // Puts the lock in the LRU (young end) or takes it out, as is_unused() says.
    void update_lru(ClientLock& lock);
    void trim_lru();

    RpcClient& _rpc;
    LockCacheConfig _config;
    std::map<uint64_t, ClientLock> _locks;  // by our cookie
    uint64_t _next_cookie;
    Flusher _flusher;
    SizeSource _size_source;
    bool _cancelling = false;
    bool _collecting = false;
    std::map<CallId, uint64_t> _async;  // async enqueues in flight: call -> cookie
    std::map<uint64_t, uint64_t> _lru;  // unused locks: lru_stamp -> cookie, oldest first
    uint64_t _lru_clock = 0;
    LockCounters _counters;
};

// The lock_desc of an extent lock request on an object.
ptlrpc::LockDesc extent_lock_desc(ObjectId object, uint32_t mode, Extent extent, uint64_t gid = 0);

}  // namespace ostd::client
