// The control core (EAL's main lcore). It serves what workers forward to it
// (connections now; LDLM next) from a ring per worker, owns the export table,
// and answers through the workers. Other threads reach what it owns only with
// a command (submit), as with workers.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "control/config/app_config.hpp"
#include "control/ost/object_service.hpp"
#include "control/ldlm/ast_sender.hpp"
#include "control/ldlm/ldlm_service.hpp"
#include "control/rpc/connect_service.hpp"
#include "control/rpc/export_table.hpp"
#include "control/rpc/reply_sender.hpp"
#include "control/rpc/rpc_router.hpp"
#include "dataplane/core_command.hpp"
#include "dataplane/dataplane.hpp"
#include "dataplane/rpc_intake.hpp"
#include "lnet_core/counter.hpp"
#include "lnet_core/result.hpp"

namespace ostd::control {

struct ControlStats {
    lnet::Counter loops;
    lnet::Counter idle_sleeps;
    lnet::Counter requests;
    lnet::Counter commands;
    lnet::Counter commands_refused;  // the command ring was full
};

class ControlCore;
using ControlCommand = dataplane::CoreCommand<ControlCore>;

// Service ids in MDs' user_data (dataplane/worker_service.hpp).
inline constexpr dataplane::ServiceId ost_request_service = 1;   // portal 28
inline constexpr dataplane::ServiceId ldlm_cancel_service = 2;   // portal 17
inline constexpr dataplane::ServiceId ost_io_service = 4;        // portal 6: served on the workers
inline constexpr dataplane::ServiceId ldlm_ast_reply_service = 3;  // portal 16: replies to our ASTs

class ControlCore {
public:
    ControlCore(dataplane::Dataplane& dataplane, const ServicesConfig& services, const LdlmConfig& ldlm = {});
    ~ControlCore();
    ControlCore(const ControlCore&) = delete;
    ControlCore& operator=(const ControlCore&) = delete;

    // Posts the request buffers of portals 28 and 17 on every worker.
    lnet::Result<bool, std::string> start();
    // The object store and the OST I/O service on every worker (control/ost/).
    lnet::Result<bool, std::string> start_objects(const objstore::ObjectStoreConfig& store);
    // Returns once quit is set (signal, CLI `quit`, end of input).
    void run(const std::atomic<bool>& quit);

    // From any thread: run work on the control core and wait (bounded).
    bool call(std::function<void(ControlCore&)> work, std::chrono::milliseconds timeout);
    // From any thread: queue work for the control core without waiting; false
    // (and counted) when the command ring is full.
    bool post(std::function<void(ControlCore&)> work);

    const ControlStats& stats() const { return _stats; }
    const RouterStats& router_stats() const { return _router.stats(); }
    const ReplyStats& reply_stats() const { return _replies.stats(); }
    // Control-core only (inside call()):
    ExportTable& exports() { return _exports; }
    // Null until start_objects; its store may be read from any thread.
    ost::ObjectService* objects() { return _objects.get(); }
    LdlmService& ldlm() { return _ldlm; }
    // The workers' AST senders: their counters may be read from any thread.
    const WorkerAstSender& asts() const { return _asts; }
    // Each worker's intakes (portals 28, 17, 16): their counters may be read from any thread.
    const std::vector<std::unique_ptr<dataplane::RpcIntake>>& intakes() const { return _intakes; }

private:
    size_t serve_workers();
    size_t drain_commands();
    bool enqueue(const std::shared_ptr<ControlCommand>& command);

    dataplane::Dataplane& _dataplane;
    ServicesConfig _services;
    ExportTable _exports;
    ReplySender _replies;
    RpcRouter _router;
    ConnectService _connect;
    WorkerAstSender _asts;
    LdlmService _ldlm;
    std::vector<std::unique_ptr<dataplane::RpcIntake>> _intakes;  // per worker and portal
    rte_ring* _commands = nullptr;
    ControlStats _stats;
    std::unique_ptr<ost::ObjectService> _objects;  // destroyed first: it refers to the above
};

}  // namespace ostd::control
