#include "control/rpc/reply_sender.hpp"

#include <memory>

namespace ostd::control {

void ReplySender::send(const dataplane::IncomingRpc& request, uint32_t reply_portal, bool at_support,
                       std::vector<std::byte> reply)
{
    auto bytes = std::make_shared<std::vector<std::byte>>(std::move(reply));
    lnet::ProcessId peer = request.peer;
    uint64_t xid = request.xid;
    uint32_t offset = at_support ? at_reply_offset : 0;
    auto command = std::make_shared<dataplane::WorkerCommand>([bytes, peer, xid, reply_portal, offset](
                                                                  dataplane::Worker& worker) {
        lnet::PutOptions options;
        options.remote_offset = offset;
        worker.endpoint().put_bytes(*bytes, peer, reply_portal, xid, options, worker.tx());  // else the client resends
    });
    if (request.worker < _dataplane.workers().size() && _dataplane.workers()[request.worker]->submit(command))
        _stats.sent.add();
    else
        _stats.refused.add();
}

}  // namespace ostd::control
