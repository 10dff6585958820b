// The object service as ostd runs it: the object store and its AsyncStore
// (one channel per worker), an OST I/O engine on every worker (portal 6),
// each worker's copy of the export table kept in step from the control core,
// and OST_GETATTR/SETATTR/SYNC (portal 28, routed on the control core) handed
// to the worker that received them, which serves and answers them as it does
// I/O: the control core never waits on storage.
//
// Owned by the control core and destroyed after the workers stopped: the
// AsyncStore goes first (it waits for storage in flight, whose buffers the
// engines own), then the engines, then the store.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "control/config/app_config.hpp"
#include "control/ost/ost_io.hpp"
#include "control/rpc/export_table.hpp"
#include "control/rpc/rpc_router.hpp"
#include "dataplane/dataplane.hpp"
#include "dataplane/worker_service.hpp"
#include "objstore/async_store.hpp"

namespace ostd::control::ost {

struct ObjectServiceStats {
    lnet::Counter view_updates;          // export changes sent to workers
    lnet::Counter view_updates_refused;  // a worker's command ring stayed full
    lnet::Counter forwarded;             // GETATTR/SETATTR/SYNC handed to a worker
    lnet::Counter forward_refused;       // ... refused: -EAGAIN
    lnet::Counter size_reports_lost;     // the control command ring was full
};

// One worker's engine as a WorkerService (built on the worker's core).
class OstIoService : public dataplane::WorkerService {
public:
    OstIoService(dataplane::Worker& worker, objstore::StoreChannel& channel, const OstIoConfig& config);
    void on_event(const lnet::Event& event, dataplane::Worker& worker) override;
    size_t poll(dataplane::Worker& worker) override;
    OstIo& io() { return _io; }
    bool started() const { return _started; }

private:
    OstIo _io;
    bool _started = false;
};

class ObjectService : public RpcHandler {
public:
    // Runs work on the control core, without waiting (ControlCore::call).
    using ControlPost = std::function<bool(std::function<void()>)>;

    // Builds the store the configuration names (the error says what is wrong).
    static lnet::Result<std::unique_ptr<ObjectService>, std::string>
    create(dataplane::Dataplane& dataplane, const objstore::ObjectStoreConfig& store, const ServicesConfig& services);
    ~ObjectService() override;

    // Control core: registers GETATTR/SETATTR/SYNC, watches the export table,
    // starts an engine on every worker (waits for them, bounded).
    lnet::Result<bool, std::string> start(dataplane::ServiceId service, RpcRouter& router, ExportTable& exports,
                                          ControlPost post);

    // THE LVB HOOK: called on the control core when an object's size changed
    // (writes that extend it: exact = false, the LVB keeps the larger; truncate
    // by OST_PUNCH or OST_SETATTR: exact = true). The lock service connects it.
    void on_size_change(std::function<void(const SizeChange&)> hook) { _size_hook = std::move(hook); }

    void serve(const RpcCall& call) override;  // GETATTR, SETATTR, SYNC

    // Any thread: the store's methods are thread-safe (objstore/object_store.hpp).
    objstore::ObjectStore& store() { return *_store; }
    objstore::AsyncStore& async() { return *_async; }
    const ObjectServiceStats& stats() const { return _stats; }
    // Read from other threads: approximate, like every counter.
    const std::vector<std::unique_ptr<OstIoService>>& engines() const { return _engines; }

private:
    ObjectService(dataplane::Dataplane& dataplane, objstore::ObjectStorePtr store,
                  const objstore::ObjectStoreConfig& config, const ServicesConfig& services);
    void broadcast(const Export& changed, ExportChange change);

    dataplane::Dataplane& _dataplane;
    ServicesConfig _services;
    ControlPost _post;
    std::function<void(const SizeChange&)> _size_hook;
    ObjectServiceStats _stats;
    // Destroyed bottom-up: the AsyncStore first, then the engines, then the store.
    objstore::ObjectStorePtr _store;
    std::vector<std::unique_ptr<OstIoService>> _engines;  // by worker index
    std::unique_ptr<objstore::AsyncStore> _async;
};

}  // namespace ostd::control::ost
