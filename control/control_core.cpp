#include "control/control_core.hpp"

#include <rte_cycles.h>
#include <rte_pause.h>

namespace ostd::control {

size_t ControlCore::serve_workers()
{
    return 0;  // the worker-to-control rings arrive with the LDLM service
}

void ControlCore::run(const std::atomic<bool>& quit)
{
    const auto& poll = _dataplane.config().poll;
    uint32_t idle = 0;
    while (!quit.load(std::memory_order_relaxed)) {
        _stats.loops.add();
        if (serve_workers() > 0) {
            idle = 0;
            continue;
        }
        // The control core sleeps when idle whatever the poll mode: its work
        // arrives in batches and a millisecond of latency costs nothing.
        if (++idle < poll.idle_polls_before_sleep) {
            rte_pause();
            continue;
        }
        _stats.idle_sleeps.add();
        rte_delay_us_sleep(std::max<uint32_t>(poll.sleep_us, 200));
    }
}

}  // namespace ostd::control
