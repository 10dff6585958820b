// The client's LDLM callback service (DESIGN.md 4.4, 6): request buffers on
// portal 15 for the ASTs the server sends, answered on portal 16 with match
// bits = the AST's xid.
//   BL AST [ldlm_request]: handle[0] our cookie. Replied at once; the lock is
//     marked, and flushed and cancelled by LockCache::run_pending_cancels().
//   CP AST [ldlm_request][ost_lvb]: the waiting lock is granted.
//   GL AST [ldlm_request]: answered [ost_lvb] with the size we know,
//     unflushed data included.
// A resent AST (the same bytes with the same xid from the same peer: the
// server resends an AST whose reply it did not get) is answered with the
// reply we sent the first time, without acting on it again (the last
// answered_keep are kept). Comparing the bytes, not only the xid, keeps a
// restarted server, whose AST xids start again, from getting a stale answer.
// serve() is run from RpcClient's poll hook (install() sets that up), so ASTs
// are answered while the client waits in any call; the same hook hands the
// replies of async enqueues (lockahead) to the lock cache.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "client/lock_cache.hpp"
#include "lnet_core/request_buffers.hpp"

namespace ostd::client {

struct CallbackCounters {
    lnet::Counter requests;
    lnet::Counter replies;
    lnet::Counter bad_requests;
    lnet::Counter unknown_locks;
    lnet::Counter duplicates;  // resent ASTs answered again from the kept reply
};

class CallbackService {
public:
    CallbackService(UdpTransport& transport, LockCache& locks);
    CallbackService(const CallbackService&) = delete;
    CallbackService& operator=(const CallbackService&) = delete;

    // Posts the request buffers (portal 15) and hooks serve() and the
    // pending cancels into the lock cache's RpcClient poll.
    lnet::Result<bool, lnet::AttachError> install();
    // Answers every AST that has arrived; returns how many.
    size_t serve();

    const CallbackCounters& counters() const { return _counters; }

    static constexpr size_t answered_keep = 64;

private:
    struct Answered {  // a reply we sent, for a resend of its AST
        lnet::ProcessId peer;
        uint64_t xid = 0;
        uint32_t offset = 0;
        std::vector<std::byte> request;
        std::vector<std::byte> reply;
    };

    void handle(const lnet::Request& request);
    bool answer_again(const lnet::Request& request);
    void reply(const lnet::Request& request, const ptlrpc::PtlrpcBody& body, uint32_t msg_flags, int32_t status,
               std::span<const std::span<const std::byte>> buffers);
    bool send_reply(const Answered& answered);

    UdpTransport& _transport;
    LockCache& _locks;
    lnet::EventQueue _events;
    lnet::RequestBuffers _buffers;
    std::deque<Answered> _answered;  // newest last
    CallbackCounters _counters;
};

}  // namespace ostd::client
