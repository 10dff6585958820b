#include "control/eal_args.hpp"

#include <sched.h>

#include <algorithm>
#include <set>

#include "dataplane/port.hpp"

namespace ostd::control {
namespace {

std::string lcore_map(const dataplane::DataplaneConfig& dp)
{
    std::set<unsigned> lcores(dp.worker_lcores.begin(), dp.worker_lcores.end());
    lcores.insert(dp.control_lcore);
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    sched_getaffinity(0, sizeof cpus, &cpus);
    bool pinned = std::all_of(lcores.begin(), lcores.end(), [&](unsigned l) { return l < CPU_SETSIZE && CPU_ISSET(l, &cpus); });
    std::string all;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
        if (CPU_ISSET(cpu, &cpus)) {
            if (!all.empty())
                all += ',';
            all += std::to_string(cpu);
        }
    std::string map;
    for (unsigned lcore : lcores) {
        map += map.empty() ? "" : ",";
        map += pinned ? std::to_string(lcore) + "@" + std::to_string(lcore) : std::to_string(lcore) + "@(" + all + ")";
    }
    return map;
}

}  // namespace

std::vector<std::string> eal_arguments(const AppConfig& config, const std::string& program)
{
    const auto& dp = config.dataplane;
    std::vector<std::string> args{program,
                                  "--lcores=" + lcore_map(dp),
                                  "--main-lcore=" + std::to_string(dp.control_lcore),
                                  "--file-prefix=" + config.eal.file_prefix,
                                  "-m",
                                  std::to_string(config.eal.memory_mb),
                                  "--log-level=lib.eal:warning",
                                  "--log-level=pmd.net.tap:error"};
    if (config.eal.no_huge)
        args.insert(args.end(), {"--no-huge", "--no-shconf"});
    if (dataplane::is_vdev(dp.port.device))
        args.insert(args.end(), {"--no-pci", "--vdev=" + dp.port.device});
    else
        args.insert(args.end(), {"-a", dp.port.device});
    args.insert(args.end(), config.eal.args.begin(), config.eal.args.end());
    return args;
}

}  // namespace ostd::control
