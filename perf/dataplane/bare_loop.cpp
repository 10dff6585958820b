#include "perf/dataplane/bare_loop.hpp"

#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_mbuf.h>

#include <algorithm>

namespace ostd::perf {

bool BareLoop::launch(unsigned lcore)
{
    _stop.store(false);
    if (rte_eal_remote_launch(&BareLoop::main, this, lcore) != 0)
        return false;
    _lcore = lcore;
    _launched = true;
    return true;
}

void BareLoop::stop()
{
    if (!_launched)
        return;
    _stop.store(true);
    rte_eal_wait_lcore(_lcore);
    _launched = false;
}

int BareLoop::main(void* self)
{
    static_cast<BareLoop*>(self)->run();
    return 0;
}

void BareLoop::run()
{
    rte_mbuf* burst[64];
    auto size = static_cast<uint16_t>(std::min<unsigned>(_burst, 64));
    uint64_t packets = 0;
    while (!_stop.load(std::memory_order_relaxed)) {
        uint16_t received = rte_eth_rx_burst(_port, _queue, burst, size);
        rte_pktmbuf_free_bulk(burst, received);
        packets += received;
        _packets.store(packets, std::memory_order_relaxed);
    }
}

}  // namespace ostd::perf
