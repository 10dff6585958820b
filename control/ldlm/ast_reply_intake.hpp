// A worker's side of the ASTs it sends for the control core: before each AST
// goes out, a match-unique ME on portal 16 for (client NID, pid, xid) with a
// small reply MD tagged with this service; the reply is copied into an
// IncomingRpc (portal 16) and pushed on the worker's to_control ring, like a
// request (dataplane/rpc_intake.hpp). Runs on the worker's core only.
//
// It also sends the AST, and sends it again (same bytes, same xid) every
// resend_interval until the reply comes, at most max_attempts times in all,
// or until the control core forgets the AST at its deadline: over UDP an AST
// or its reply can be lost, and a client must not be evicted for that
// (Lustre's clients sit on a reliable LNET and reconnect instead). A reply
// to any attempt is taken once (the ME goes with it); later ones find no ME
// and are dropped by LNET as no_match. Clients answer a resent AST from the
// reply they kept (client/callback_service.hpp).
#pragma once

#include <array>
#include <chrono>
#include <deque>
#include <memory>
#include <unordered_map>
#include <vector>

#include "dataplane/incoming_rpc.hpp"
#include "dataplane/worker_service.hpp"
#include "lnet_core/counter.hpp"
#include "lnet_core/memory_descriptor.hpp"

namespace ostd::control {

struct AstReplyStats {
    lnet::Counter expected;
    lnet::Counter forwarded;
    lnet::Counter forgotten;     // timed out: the ME was taken down unanswered
    lnet::Counter attach_failed;
    lnet::Counter ring_full;     // polls on which the ring refused what was waiting
    lnet::Counter sent;          // first attempts PUT
    lnet::Counter resent;        // later attempts PUT (no reply by then)
    lnet::Counter send_pushback; // a PUT the endpoint pushed back (retried at the next resend)
    lnet::Counter exhausted;     // max_attempts sent, no reply: left to the control core's deadline
};

struct AstResendPolicy {
    std::chrono::milliseconds resend_interval{250};
    unsigned max_attempts = 16;  // 16 x 250 ms stays within the 5 s callback timeout
};

class AstReplyIntake : public dataplane::WorkerService {
public:
    // Room for a reply: body + ost_lvb fit in well under this; longer ones are truncated.
    static constexpr size_t reply_capacity = 1024;

    using Clock = std::chrono::steady_clock;
    using Request = std::shared_ptr<const std::vector<std::byte>>;

    explicit AstReplyIntake(dataplane::ServiceId service, AstResendPolicy policy = {})
        : _service(service), _policy(policy) {}

    // Posts the reply MD for the AST, then PUTs it to peer's portal 15 with
    // match bits xid, and keeps it to resend. False (nothing sent) when the
    // ME cannot be posted: the control core's deadline covers it.
    bool send(lnet::ProcessId peer, uint64_t xid, Request request, dataplane::Worker& worker);
    void forget(uint64_t xid, dataplane::Worker& worker);

    void on_event(const lnet::Event& event, dataplane::Worker& worker) override;
    size_t poll(dataplane::Worker& worker) override;

    const AstReplyStats& stats() const { return _stats; }
    size_t awaiting() const { return _slots.size(); }

private:
    struct Slot {
        std::unique_ptr<std::array<std::byte, reply_capacity>> buffer;
        lnet::MdHandle md;
        lnet::ProcessId peer;
        Request request;
        unsigned attempts = 0;
        Clock::time_point next_attempt;
    };

    bool put(Slot& slot, uint64_t xid, dataplane::Worker& worker, Clock::time_point now);
    size_t resend_due(dataplane::Worker& worker);

    dataplane::ServiceId _service;
    AstResendPolicy _policy;
    std::unordered_map<uint64_t, Slot> _slots;  // by xid
    std::deque<std::unique_ptr<dataplane::IncomingRpc>> _waiting;  // behind a full ring
    AstReplyStats _stats;
};

}  // namespace ostd::control
