#include "dataplane/dataplane.hpp"

#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

namespace ostd::dataplane {
namespace {

int worker_main(void* arg)
{
    auto* context = static_cast<std::pair<Worker*, const RunFlags*>*>(arg);
    context->first->run(*context->second);
    delete context;
    return 0;
}

}  // namespace

lnet::Result<std::unique_ptr<Dataplane>, std::string> Dataplane::create(const DataplaneConfig& config)
{
    std::unique_ptr<Dataplane> dp(new Dataplane(config));
    for (unsigned lcore : config.worker_lcores)
        if (!rte_lcore_is_enabled(lcore) || lcore == rte_get_main_lcore())
            return "worker lcore " + std::to_string(lcore) + " is not an enabled worker lcore of this EAL";

    dp->_pool = rte_pktmbuf_pool_create("ostd_mbufs", config.pool.mbufs, config.pool.cache, 0,
                                        RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
    if (!dp->_pool)
        return "cannot create a pool of " + std::to_string(config.pool.mbufs) + " mbufs: " + rte_strerror(rte_errno) +
               " (raise eal.memory_mb or lower mbuf_pool.mbufs)";

    auto workers = static_cast<uint16_t>(config.worker_lcores.size());
    auto port = Port::open(config.port, workers, dp->_pool);
    if (!port)
        return port.error();
    dp->_port = std::move(port.value());

    LocalAddress local;
    local.mac = dp->_port->mac();
    local.ip = config.network.address;
    local.udp_port = config.network.udp_port;
    local.mtu = config.port.mtu;
    local.allowed = &dp->_config.network.allowed;
    try {
        for (unsigned i = 0; i < workers; ++i)
            dp->_workers.push_back(std::make_unique<Worker>(
                WorkerSetup{i, workers, dp->_port->id(), dp->_pool, local, &dp->_config}));
    } catch (const std::exception& error) {
        return std::string(error.what());
    }
    std::vector<rte_ring*> inboxes;
    for (auto& worker : dp->_workers)
        inboxes.push_back(worker->inbox());
    for (auto& worker : dp->_workers)
        worker->connect(inboxes);
    return dp;
}

lnet::Result<bool, std::string> Dataplane::launch()
{
    for (size_t i = 0; i < _workers.size(); ++i) {
        auto* context = new std::pair<Worker*, const RunFlags*>(_workers[i].get(), &_flags);
        if (int rc = rte_eal_remote_launch(worker_main, context, _config.worker_lcores[i]); rc != 0) {
            delete context;
            request_stop();
            wait();
            return "cannot launch worker " + std::to_string(i) + " on lcore " +
                   std::to_string(_config.worker_lcores[i]) + ": " + rte_strerror(-rc);
        }
        _launched = true;
    }
    return true;
}

void Dataplane::wait()
{
    if (!_launched)
        return;
    for (unsigned lcore : _config.worker_lcores)
        rte_eal_wait_lcore(lcore);
    _launched = false;
}

bool Dataplane::run_on_workers(const std::function<void(Worker&)>& work, std::chrono::milliseconds timeout)
{
    std::vector<WorkerCommandPtr> commands;
    for (auto& worker : _workers) {
        auto command = std::make_shared<WorkerCommand>(work);
        if (!worker->submit(command))
            return false;
        commands.push_back(command);
    }
    for (auto& command : commands)
        if (!command->wait(timeout))
            return false;
    return true;
}

Dataplane::~Dataplane()
{
    request_stop();
    wait();
    _workers.clear();
    _port.reset();
    rte_mempool_free(_pool);
}

}  // namespace ostd::dataplane
