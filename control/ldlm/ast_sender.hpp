// ASTs in ostd: each is handed, as a command, to the client's home worker
// (its peer table knows where the client is), which posts the reply ME on
// portal 16 (AstReplyIntake) and PUTs the request to portal 15 — the way
// ReplySender sends replies — and resends it until it is answered or
// forgotten (AstResendPolicy).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "control/ldlm/ast_channel.hpp"
#include "control/ldlm/ast_reply_intake.hpp"
#include "dataplane/dataplane.hpp"
#include "lnet_core/counter.hpp"
#include "lnet_core/result.hpp"

namespace ostd::control {

struct AstSendStats {
    lnet::Counter sent;
    lnet::Counter refused;  // the worker's command ring was full
};

class WorkerAstSender : public AstChannel {
public:
    WorkerAstSender(dataplane::Dataplane& dataplane, dataplane::ServiceId reply_service,
                    AstResendPolicy policy = {})
        : _dataplane(dataplane), _reply_service(reply_service), _policy(policy) {}

    // Puts an AstReplyIntake on every worker (before their loops serve traffic).
    lnet::Result<bool, std::string> start();

    bool send(const AstTarget& to, uint64_t xid, std::vector<std::byte> request) override;
    void forget(const AstTarget& to, uint64_t xid) override;

    const AstSendStats& stats() const { return _stats; }
    // Each worker's intake (null before start): its counters may be read from any thread.
    const std::vector<std::unique_ptr<AstReplyIntake>>& intakes() const { return _intakes; }

private:
    bool submit(unsigned worker, std::function<void(dataplane::Worker&, AstReplyIntake&)> work);

    dataplane::Dataplane& _dataplane;
    dataplane::ServiceId _reply_service;
    AstResendPolicy _policy;
    std::vector<std::unique_ptr<AstReplyIntake>> _intakes;  // per worker, used on its core only
    AstSendStats _stats;
};

}  // namespace ostd::control
