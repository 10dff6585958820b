// The rte_eal_init argument list an AppConfig implies.
#pragma once

#include <string>
#include <vector>

#include "control/config/app_config.hpp"

namespace ostd::control {

// Lcores are pinned one per CPU when every configured lcore has its own CPU;
// otherwise (more lcores than CPUs, as in tests on 2 cores) each lcore floats
// over all CPUs, which only makes sense with adaptive polling.
std::vector<std::string> eal_arguments(const AppConfig& config, const std::string& program);

}  // namespace ostd::control
