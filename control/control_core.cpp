#include "control/control_core.hpp"

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_pause.h>
#include <rte_ring.h>

#include <stdexcept>

#include "lnet_core/ptlrpc/opcodes.hpp"

namespace ostd::control {

using CommandBox = std::shared_ptr<ControlCommand>;

namespace {

LdlmServiceConfig lock_service_config(const LdlmConfig& ldlm)
{
    LdlmServiceConfig config;
    config.ns.expansion.enabled = ldlm.expansion;
    config.ns.expansion.contention_locks = ldlm.contention_locks;
    config.ns.expansion.contention_extent = ldlm.contention_extent;
    config.ns.expansion.waiter_limit = ldlm.waiter_limit;
    config.callback_timeout = std::chrono::milliseconds(ldlm.callback_timeout_ms);
    config.glimpse_timeout = std::chrono::milliseconds(ldlm.glimpse_timeout_ms);
    config.ns.limits = {ldlm.max_locks_per_client, ldlm.max_locks_per_resource};
    return config;
}

}  // namespace

ControlCore::ControlCore(dataplane::Dataplane& dataplane, const ServicesConfig& services, const LdlmConfig& ldlm)
    : _dataplane(dataplane), _services(services), _replies(dataplane), _router(_exports, _replies),
      _connect(_exports), _asts(dataplane, ldlm_ast_reply_service),
      _ldlm(_exports, _replies, _asts, lock_service_config(ldlm))
{
    _connect.attach(_router);
    _ldlm.attach(_router);
    _connect.on_disconnect([this](const Export& gone) { _ldlm.release(gone); });
    _commands = rte_ring_create("ostd_control_cmd", 256, SOCKET_ID_ANY, RING_F_SC_DEQ);
    if (!_commands)
        throw std::runtime_error(std::string("cannot create the control command ring: ") + rte_strerror(rte_errno));
}

ControlCore::~ControlCore()
{
    for (auto& worker : _dataplane.workers()) {  // requests still queued when we stopped
        void* rpc;
        while (rte_ring_dequeue(worker->to_control(), &rpc) == 0)
            delete static_cast<dataplane::IncomingRpc*>(rpc);
    }
    void* box;
    while (rte_ring_dequeue(_commands, &box) == 0)
        delete static_cast<CommandBox*>(box);
    rte_ring_free(_commands);
}

lnet::Result<bool, std::string> ControlCore::start()
{
    namespace ptlrpc = lnet::ptlrpc;
    struct Portal {
        dataplane::ServiceId service;
        uint32_t portal;
    };
    const Portal portals[] = {{ost_request_service, ptlrpc::portal::ost_request},
                              {ldlm_cancel_service, ptlrpc::portal::ldlm_cancel_request}};
    lnet::RequestBuffersConfig buffers;
    buffers.buffer_size = _services.buffer_size;
    buffers.max_request = _services.max_request;
    buffers.initial = _services.request_buffers;
    buffers.low_water = _services.low_water;
    buffers.max_buffers = _services.max_buffers;

    size_t workers = _dataplane.workers().size();
    _intakes.resize(workers * std::size(portals));
    bool ran = _dataplane.run_on_workers(
        [&](dataplane::Worker& worker) {
            for (size_t p = 0; p < std::size(portals); ++p) {
                auto& intake = _intakes[worker.index() * std::size(portals) + p];
                intake = std::make_unique<dataplane::RpcIntake>(worker, portals[p].service, portals[p].portal, buffers);
                worker.add_service(portals[p].service, intake.get());
            }
        },
        std::chrono::seconds(5));
    if (!ran)
        return std::string("request portals: a worker did not answer within 5 s");
    for (const auto& intake : _intakes)
        if (!intake || !intake->started())
            return std::string("request portals: a worker could not post its request buffers");
    if (auto asts = _asts.start(); !asts)
        return asts;
    return true;
}

lnet::Result<bool, std::string> ControlCore::start_objects(const objstore::ObjectStoreConfig& store)
{
    auto objects = ost::ObjectService::create(_dataplane, store, _services);
    if (!objects)
        return objects.error();
    _objects = std::move(objects.value());
    for (const objstore::ObjectInfo& info : _objects->store().list())  // a file store's objects outlive a restart:
        _ldlm.note_object_size(info.id, 0, info.size);                  // glimpses must see their sizes
    _objects->on_size_change([this](const ost::SizeChange& change) {  // the LVBs follow writes and truncates
        if (change.exact)
            _ldlm.set_object_size(change.object, 0, change.size);
        else
            _ldlm.note_object_size(change.object, 0, change.size);
    });
    return _objects->start(ost_io_service, _router, _exports, [this](std::function<void()> work) {
        // Queued, not waited for: workers post here (the ring is MP).
        return post([work = std::move(work)](ControlCore&) { work(); });
    });
}

size_t ControlCore::serve_workers()
{
    size_t served = 0;
    void* burst[32];
    for (auto& worker : _dataplane.workers()) {
        unsigned n = rte_ring_sc_dequeue_burst(worker->to_control(), burst, 32, nullptr);
        for (unsigned i = 0; i < n; ++i) {
            std::unique_ptr<dataplane::IncomingRpc> rpc(static_cast<dataplane::IncomingRpc*>(burst[i]));
            if (rpc->portal == lnet::ptlrpc::portal::ldlm_cb_reply)
                _ldlm.on_ast_reply(*rpc);  // a client's answer to one of our ASTs
            else
                _router.serve(*rpc);
        }
        served += n;
    }
    _stats.requests.add(served);
    return served;
}

bool ControlCore::call(std::function<void(ControlCore&)> work, std::chrono::milliseconds timeout)
{
    auto command = std::make_shared<ControlCommand>(std::move(work));
    return enqueue(command) && command->wait(timeout);
}

bool ControlCore::post(std::function<void(ControlCore&)> work)
{
    return enqueue(std::make_shared<ControlCommand>(std::move(work)));
}

bool ControlCore::enqueue(const std::shared_ptr<ControlCommand>& command)
{
    auto* box = new CommandBox(command);
    if (rte_ring_mp_enqueue(_commands, box) == 0)
        return true;
    delete box;
    _stats.commands_refused.add();
    return false;
}

size_t ControlCore::drain_commands()
{
    void* boxes[16];
    unsigned n = rte_ring_sc_dequeue_burst(_commands, boxes, 16, nullptr);
    for (unsigned i = 0; i < n; ++i) {
        auto* box = static_cast<CommandBox*>(boxes[i]);
        (*box)->run(*this);
        delete box;
    }
    _stats.commands.add(n);
    return n;
}

void ControlCore::run(const std::atomic<bool>& quit)
{
    const auto& poll = _dataplane.config().poll;
    uint32_t idle = 0;
    while (!quit.load(std::memory_order_relaxed)) {
        _stats.loops.add();
        size_t work = serve_workers() + drain_commands();
        work += _ldlm.tick(LdlmService::Clock::now());
        if (work > 0) {
            idle = 0;
            continue;
        }
        if (++idle < poll.idle_polls_before_sleep) {
            rte_pause();
            continue;
        }
        _stats.idle_sleeps.add();
        rte_delay_us_sleep(poll.sleep_us);
    }
}

}  // namespace ostd::control
