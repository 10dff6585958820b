// The lock service on the control core (DESIGN.md 4.4-4.6, 6): LDLM_ENQUEUE
// (portal 28) and LDLM_CANCEL (portal 17) served against the appliance's one
// lock namespace; the ASTs those produce sent through the clients' home
// workers (AstChannel); blocking-AST deadlines (a client that has not
// cancelled in time is evicted); glimpse fan-out and merge. Control-core
// only: tick() is called every loop, AST replies arrive via on_ast_reply().
//
// Clients are named by their export handle (ldlm::ClientId).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "control/ldlm/ast_channel.hpp"
#include "control/rpc/rpc_call.hpp"
#include "control/rpc/rpc_router.hpp"
#include "lnet_core/ptlrpc/ldlm_wire.hpp"
#include "lnet_core/ptlrpc/message_error.hpp"
#include "ldlm/namespace.hpp"
#include "lnet_core/counter.hpp"

namespace ostd::control {

struct LdlmServiceConfig {
    ldlm::NamespaceConfig ns;
    // A lock called back must be cancelled within this, or its client is evicted.
    std::chrono::milliseconds callback_timeout{5000};
    // A glimpse is answered with what came back within this.
    std::chrono::milliseconds glimpse_timeout{2000};
};

struct LdlmServiceStats {
    lnet::Counter enqueues;
    lnet::Counter cancels;           // LDLM_CANCEL requests
    lnet::ptlrpc::MessageErrorCounters malformed;  // undecodable ldlm_request: -EPROTO
    lnet::Counter blocking_asts;
    lnet::Counter completion_asts;
    lnet::Counter glimpse_asts;
    lnet::Counter ast_replies;
    lnet::Counter ast_stray_replies; // no AST waits for that xid (late, duplicate)
    lnet::Counter ast_reply_timeouts;
    lnet::Counter ast_send_refused;  // a worker's command ring was full
    lnet::Counter ast_no_export;     // the client went away before its AST
    lnet::Counter glimpse_resends;   // a glimpse enqueue resent while in progress: answered once
    lnet::Counter ast_lock_unknown;  // a blocking AST answered with an error (-EINVAL: the
                                     // client holds no such lock): cancelled here, no eviction
    lnet::Counter evictions;         // callback timeouts and evict()
    lnet::Counter glimpses;          // glimpse enqueues answered "aborted" (301)
};

class LdlmService : public RpcHandler {
public:
    using Clock = std::chrono::steady_clock;
    using TimePoint = Clock::time_point;

    LdlmService(ExportTable& exports, ReplyChannel& replies, AstChannel& asts, const LdlmServiceConfig& config = {},
                std::function<TimePoint()> now = Clock::now);

    void attach(RpcRouter& router);
    void serve(const RpcCall& call) override;
    // A reply on portal 16 to one of our ASTs.
    void on_ast_reply(const dataplane::IncomingRpc& reply);
    // Deadlines: unanswered ASTs, uncancelled callbacks, glimpses. Returns the work done.
    size_t tick(TimePoint now);

    // OST_DISCONNECT: the export's locks go, the waiters behind them are granted.
    void release(const Export& gone);
    // Refuses the export until it reconnects and cancels all its locks.
    bool evict(uint64_t export_handle);
    // Writes grow the size the resource's LVB reports (resource {id, seq, 0, 0}).
    void note_object_size(uint64_t id, uint64_t seq, uint64_t size);
    // Truncate (OST_PUNCH, OST_SETATTR): the size is what it says, even if smaller.
    void set_object_size(uint64_t id, uint64_t seq, uint64_t size);

    ldlm::LockNamespace& locks() { return _ns; }
    const ldlm::LockNamespace& locks() const { return _ns; }
    const LdlmServiceStats& stats() const { return _stats; }
    size_t asts_in_flight() const { return _asts.size(); }
    size_t callbacks_pending() const { return _callbacks.size(); }
    size_t glimpses_pending() const { return _glimpses.size(); }
    const LdlmServiceConfig& config() const { return _config; }

private:
    enum class AstKind : uint8_t { blocking, completion, glimpse };
    struct PendingAst {
        AstKind kind;
        AstTarget target;
        TimePoint deadline;
        uint64_t glimpse = 0;  // which glimpse it serves
        uint64_t lock = 0;     // a blocking AST's lock (our cookie)
    };
    struct Callback {  // a blocking AST's lock, to be cancelled by deadline
        uint64_t export_handle;
        TimePoint deadline;
    };
    struct PendingGlimpse {  // an enqueue with a glimpse intent, answered once the ASTs are
        dataplane::IncomingRpc request;
        lnet::ptlrpc::PtlrpcBody body;
        uint32_t msg_flags = 0;
        lnet::ptlrpc::LockDesc desc;
        ldlm::ResourceName resource;
        size_t outstanding = 0;
        std::vector<ldlm::Lvb> answers;
    };

    void enqueue(const RpcCall& call);
    void cancel(const RpcCall& call);
    bool start_glimpse(const RpcCall& call, const ldlm::ResourceName& resource);
    void finish_glimpse(uint64_t id);
    void run_actions(const std::vector<ldlm::Action>& actions);
    void send_blocking(const ldlm::Action& action, const Export& to);
    void send_completion(const ldlm::Action& action, const Export& to);
    bool send_ast(AstKind kind, const Export& to, std::vector<std::byte> request, TimePoint deadline,
                  uint64_t glimpse = 0, uint64_t lock = 0);
    void drop_unknown_lock(uint64_t lock_cookie, uint64_t export_handle);
    void forget_callback(uint64_t lock_cookie);
    void forget_callbacks_of(uint64_t export_handle);
    size_t expire_asts(TimePoint now);
    size_t expire_callbacks(TimePoint now);

    ExportTable& _exports;
    ReplyChannel& _replies;
    AstChannel& _channel;
    LdlmServiceConfig _config;
    std::function<TimePoint()> _now;
    ldlm::LockNamespace _ns;
    uint64_t _last_xid = ast_xid_base;
    uint64_t _last_glimpse = 0;
    std::unordered_map<uint64_t, PendingAst> _asts;             // by xid
    std::set<std::pair<TimePoint, uint64_t>> _ast_deadlines;    // (deadline, xid)
    std::unordered_map<uint64_t, Callback> _callbacks;          // by server lock cookie
    std::set<std::pair<TimePoint, uint64_t>> _callback_deadlines;  // (deadline, cookie)
    std::unordered_map<uint64_t, PendingGlimpse> _glimpses;     // by glimpse id
    LdlmServiceStats _stats;
};

}  // namespace ostd::control
