#include "dataplane/rpc_intake.hpp"

#include "dataplane/worker.hpp"

namespace ostd::dataplane {
namespace {

lnet::RequestBuffersConfig tagged(lnet::RequestBuffersConfig config, uint32_t portal, ServiceId service,
                                  Worker& worker)
{
    config.portal = portal;
    config.tag = service_tag(service);
    config.eq = &worker.eq();
    return config;
}

}  // namespace

RpcIntake::RpcIntake(Worker& worker, ServiceId service, uint32_t portal, const lnet::RequestBuffersConfig& buffers)
    : _portal(portal), _buffers(worker.endpoint(), tagged(buffers, portal, service, worker))
{
    _started = _buffers.start(worker.tx()).ok();
}

void RpcIntake::on_event(const lnet::Event& event, Worker& worker)
{
    auto request = _buffers.on_event(event, worker.tx());
    if (!request)
        return;
    auto rpc = std::make_unique<IncomingRpc>();
    rpc->bytes.assign(request->bytes.begin(), request->bytes.end());
    rpc->peer = request->peer;
    rpc->xid = request->match_bits;
    rpc->portal = _portal;
    rpc->worker = worker.index();
    Held held{std::move(rpc), request->buffer};
    if (!_waiting.empty() || !forward(held, worker))
        _waiting.push_back(std::move(held));
}

bool RpcIntake::forward(Held& held, Worker& worker)
{
    if (rte_ring_sp_enqueue(worker.to_control(), held.rpc.get()) != 0) {
        _stats.ring_full.add();
        return false;
    }
    held.rpc.release();  // the control core owns it now
    _buffers.release(held.buffer, worker.tx());
    _stats.forwarded.add();
    return true;
}

size_t RpcIntake::poll(Worker& worker)
{
    size_t forwarded = 0;
    while (!_waiting.empty() && forward(_waiting.front(), worker)) {
        _waiting.pop_front();
        ++forwarded;
    }
    return forwarded;
}

}  // namespace ostd::dataplane
