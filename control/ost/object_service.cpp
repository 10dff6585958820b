#include "control/ost/object_service.hpp"

#include <rte_pause.h>

#include "dataplane/worker.hpp"
#include "lnet_core/ptlrpc/opcodes.hpp"

namespace ostd::control::ost {

namespace ptlrpc = lnet::ptlrpc;

namespace {

constexpr int submit_attempts = 1000;  // ~a few ms of a full command ring, then counted

bool submit_to(dataplane::Worker& worker, const dataplane::WorkerCommandPtr& command)
{
    for (int attempt = 0; attempt < submit_attempts; ++attempt) {
        if (worker.submit(command))
            return true;
        rte_pause();
    }
    return false;
}

}  // namespace

OstIoService::OstIoService(dataplane::Worker& worker, objstore::StoreChannel& channel, const OstIoConfig& config)
    : _io(worker.endpoint(), worker.eq(), channel, config)
{
    _started = _io.start(worker.tx());
}

void OstIoService::on_event(const lnet::Event& event, dataplane::Worker& worker)
{
    _io.on_event(event, worker.tx(), Clock::now());
}

size_t OstIoService::poll(dataplane::Worker& worker) { return _io.poll(worker.tx(), Clock::now()); }

lnet::Result<std::unique_ptr<ObjectService>, std::string>
ObjectService::create(dataplane::Dataplane& dataplane, const objstore::ObjectStoreConfig& store,
                      const ServicesConfig& services)
{
    auto made = objstore::make_object_store(store);
    if (!made)
        return "object store: " + made.error();
    return std::unique_ptr<ObjectService>(new ObjectService(dataplane, std::move(made.value()), store, services));
}

ObjectService::ObjectService(dataplane::Dataplane& dataplane, objstore::ObjectStorePtr store,
                             const objstore::ObjectStoreConfig& config, const ServicesConfig& services)
    : _dataplane(dataplane), _services(services), _store(std::move(store))
{
    auto workers = static_cast<unsigned>(dataplane.workers().size());
    _async = std::make_unique<objstore::AsyncStore>(*_store, workers, config);
    _engines.resize(workers);
}

ObjectService::~ObjectService() { _async.reset(); }

lnet::Result<bool, std::string> ObjectService::start(dataplane::ServiceId service, RpcRouter& router,
                                                     ExportTable& exports, ControlPost post)
{
    _post = std::move(post);
    OstIoConfig config;
    config.buffers.buffer_size = _services.buffer_size;
    config.buffers.max_request = _services.max_request;
    config.buffers.initial = _services.request_buffers;
    config.buffers.low_water = _services.low_water;
    config.buffers.max_buffers = _services.max_buffers;
    config.buffers.portal = ptlrpc::portal::ost_io;
    config.tag = dataplane::service_tag(service);
    config.max_payload = _dataplane.config().lnet.max_payload;
    bool ran = _dataplane.run_on_workers(
        [&](dataplane::Worker& worker) {
            auto& engine = _engines[worker.index()];
            engine = std::make_unique<OstIoService>(worker, _async->channel(worker.index()), config);
            engine->io().on_size_change([this](const SizeChange& change) {
                // On the worker: the hook runs on the control core.
                bool posted = _post && _post([this, change] {
                    if (_size_hook)
                        _size_hook(change);
                });
                if (!posted)
                    _stats.size_reports_lost.add();
            });
            worker.add_service(service, engine.get());
        },
        std::chrono::seconds(5));
    if (!ran)
        return std::string("object service: a worker did not answer within 5 s");
    for (const auto& engine : _engines)
        if (!engine || !engine->started())
            return std::string("object service: a worker could not post its portal 6 request buffers");
    exports.watch([this](const Export& changed, ExportChange change) { broadcast(changed, change); });
    for (auto opc : {ptlrpc::Opcode::ost_getattr, ptlrpc::Opcode::ost_setattr, ptlrpc::Opcode::ost_sync})
        router.add(opc, *this);
    return true;
}

// Every worker's view learns the change. Commands run in order on each worker,
// so the home worker knows a new export before the connect reply (queued after
// this) leaves it.
void ObjectService::broadcast(const Export& changed, ExportChange change)
{
    uint64_t handle = changed.handle;
    lnet::ProcessId peer = changed.peer;
    for (auto& worker : _dataplane.workers()) {
        OstIoService* engine = _engines[worker->index()].get();
        auto command = std::make_shared<dataplane::WorkerCommand>([engine, handle, peer, change](dataplane::Worker& w) {
            if (change == ExportChange::connected) {
                engine->io().exports().connected(handle, peer);
            } else {
                engine->io().exports().gone(handle);
                engine->io().abandon(handle, w.tx(), Clock::now());  // its bulk MDs go now
            }
        });
        (submit_to(*worker, command) ? _stats.view_updates : _stats.view_updates_refused).add();
    }
}

void ObjectService::serve(const RpcCall& call)
{
    unsigned index = call.request.worker;
    if (index >= _engines.size() || !_engines[index]) {
        call.fail(EAGAIN);
        return;
    }
    OstIoService* engine = _engines[index].get();
    auto bytes = std::make_shared<std::vector<std::byte>>(call.request.bytes);
    lnet::ProcessId peer = call.request.peer;
    uint64_t xid = call.request.xid;
    auto command = std::make_shared<dataplane::WorkerCommand>([engine, bytes, peer, xid](dataplane::Worker& worker) {
        engine->io().serve_forwarded(*bytes, peer, xid, worker.tx(), Clock::now());
    });
    if (_dataplane.workers()[index]->submit(command)) {
        _stats.forwarded.add();
    } else {
        _stats.forward_refused.add();
        call.fail(EAGAIN);
    }
}

}  // namespace ostd::control::ost
