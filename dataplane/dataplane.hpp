// The data plane of one appliance: a mempool, a port, one worker per worker
// lcore, and the rings between them. Launch runs each worker's loop on its
// lcore; stop ends the loops; destruction stops and closes the port.
#pragma once

#include <rte_mempool.h>

#include <memory>
#include <string>
#include <vector>

#include "dataplane/dataplane_config.hpp"
#include "dataplane/port.hpp"
#include "dataplane/worker.hpp"
#include "lnet_core/result.hpp"

namespace ostd::dataplane {

class Dataplane {
public:
    // EAL must be initialised, with every configured lcore available.
    static lnet::Result<std::unique_ptr<Dataplane>, std::string> create(const DataplaneConfig& config);
    ~Dataplane();
    Dataplane(const Dataplane&) = delete;
    Dataplane& operator=(const Dataplane&) = delete;

    // Starts each worker on its lcore (remote launch), not yet forwarding:
    // workers run commands (service set-up) and take packets once
    // set_forwarding(true) is called.
    lnet::Result<bool, std::string> launch();
    void request_stop() { _flags.stop.store(true); }
    void set_forwarding(bool on) { _flags.forwarding.store(on); }
    bool forwarding() const { return _flags.forwarding.load(); }
    bool stopping() const { return _flags.stop.load(); }
    void wait();  // joins the worker lcores

    // Runs work on every worker's core and waits for all (bounded).
    bool run_on_workers(const std::function<void(Worker&)>& work, std::chrono::milliseconds timeout);

    const DataplaneConfig& config() const { return _config; }
    Port& port() { return *_port; }
    std::vector<std::unique_ptr<Worker>>& workers() { return _workers; }
    rte_mempool* pool() const { return _pool; }

private:
    explicit Dataplane(const DataplaneConfig& config) : _config(config) {}

    DataplaneConfig _config;
    RunFlags _flags;
    rte_mempool* _pool = nullptr;
    std::unique_ptr<Port> _port;
    std::vector<std::unique_ptr<Worker>> _workers;
    bool _launched = false;
};

}  // namespace ostd::dataplane
