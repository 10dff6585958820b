// A worker's side of the ASTs it sends for the control core: before each AST
// goes out, a match-unique ME on portal 16 for (client NID, pid, xid) with a
// small reply MD tagged with this service; the reply is copied into an
// IncomingRpc (portal 16) and pushed on the worker's to_control ring, like a
// request (dataplane/rpc_intake.hpp). Runs on the worker's core only.
#pragma once

#include <array>
#include <deque>
#include <memory>
#include <unordered_map>

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
};

class AstReplyIntake : public dataplane::WorkerService {
public:
    // Room for a reply: body + ost_lvb fit in well under this; longer ones are truncated.
    static constexpr size_t reply_capacity = 1024;

    explicit AstReplyIntake(dataplane::ServiceId service) : _service(service) {}

    // Posts the reply MD for an AST about to be sent to peer with xid.
    bool expect(lnet::ProcessId peer, uint64_t xid, dataplane::Worker& worker);
    void forget(uint64_t xid, dataplane::Worker& worker);

    void on_event(const lnet::Event& event, dataplane::Worker& worker) override;
    size_t poll(dataplane::Worker& worker) override;

    const AstReplyStats& stats() const { return _stats; }

private:
    struct Slot {
        std::unique_ptr<std::array<std::byte, reply_capacity>> buffer;
        lnet::MdHandle md;
    };

    dataplane::ServiceId _service;
    std::unordered_map<uint64_t, Slot> _slots;  // by xid
    std::deque<std::unique_ptr<dataplane::IncomingRpc>> _waiting;  // behind a full ring
    AstReplyStats _stats;
};

}  // namespace ostd::control
