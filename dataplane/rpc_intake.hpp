// A worker's request portal for services served on the control core
// (connections, LDLM): request buffers on the worker (lnet::RequestBuffers),
// and every request copied onto the worker's to_control ring. When the ring
// is full the request stays in its buffer and is forwarded on a later poll:
// the buffers fill, the portal's delayed list grows, and the network feels
// the pressure; nothing is dropped.
#pragma once

#include <deque>
#include <memory>

#include "dataplane/incoming_rpc.hpp"
#include "dataplane/worker_service.hpp"
#include "lnet_core/counter.hpp"
#include "lnet_core/request_buffers.hpp"

namespace ostd::dataplane {

struct RpcIntakeStats {
    lnet::Counter forwarded;
    lnet::Counter ring_full;  // requests the ring refused (each waits and is offered again)
};

class RpcIntake : public WorkerService {
public:
    // Runs on the worker's core (a command): posts the buffers.
    RpcIntake(Worker& worker, ServiceId service, uint32_t portal, const lnet::RequestBuffersConfig& buffers);

    void on_event(const lnet::Event& event, Worker& worker) override;
    size_t poll(Worker& worker) override;

    bool started() const { return _started; }
    const RpcIntakeStats& stats() const { return _stats; }

private:
    struct Held {
        std::unique_ptr<IncomingRpc> rpc;
        uint32_t buffer;
    };
    bool forward(Held& held, Worker& worker);

    uint32_t _portal;
    lnet::RequestBuffers _buffers;
    std::deque<Held> _waiting;  // in arrival order, behind a full ring
    RpcIntakeStats _stats;
    bool _started = false;
};

}  // namespace ostd::dataplane
