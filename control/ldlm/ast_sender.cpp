#include "control/ldlm/ast_sender.hpp"

#include "dataplane/worker.hpp"
#include "lnet_core/ptlrpc/opcodes.hpp"

namespace ostd::control {

lnet::Result<bool, std::string> WorkerAstSender::start()
{
    _intakes.clear();
    for (size_t i = 0; i < _dataplane.workers().size(); ++i)
        _intakes.push_back(std::make_unique<AstReplyIntake>(_reply_service, _policy));
    bool ran = _dataplane.run_on_workers(
        [this](dataplane::Worker& worker) { worker.add_service(_reply_service, _intakes[worker.index()].get()); },
        std::chrono::seconds(5));
    if (!ran)
        return std::string("AST reply portal: a worker did not answer within 5 s");
    return true;
}

bool WorkerAstSender::submit(unsigned worker, std::function<void(dataplane::Worker&, AstReplyIntake&)> work)
{
    if (worker >= _intakes.size())
        return false;
    AstReplyIntake* intake = _intakes[worker].get();
    auto command = std::make_shared<dataplane::WorkerCommand>(
        [intake, work = std::move(work)](dataplane::Worker& w) { work(w, *intake); });
    return _dataplane.workers()[worker]->submit(command);
}

bool WorkerAstSender::send(const AstTarget& to, uint64_t xid, std::vector<std::byte> request)
{
    AstReplyIntake::Request bytes = std::make_shared<const std::vector<std::byte>>(std::move(request));
    lnet::ProcessId peer = to.peer;
    bool queued = submit(to.worker, [bytes, peer, xid](dataplane::Worker& worker, AstReplyIntake& intake) {
        intake.send(peer, xid, bytes, worker);  // no ME, no AST: the control core's deadline covers it
    });
    (queued ? _stats.sent : _stats.refused).add();
    return queued;
}

void WorkerAstSender::forget(const AstTarget& to, uint64_t xid)
{
    submit(to.worker, [xid](dataplane::Worker& worker, AstReplyIntake& intake) { intake.forget(xid, worker); });
}

}  // namespace ostd::control
