// Everything an ostd instance is configured with (DESIGN.md section 9).
#pragma once

#include <string>
#include <vector>

#include "dataplane/dataplane_config.hpp"

namespace ostd::control {

struct EalConfig {
    std::vector<std::string> args;  // passed to rte_eal_init as given
    std::string file_prefix = "ostd";
    unsigned memory_mb = 512;
    bool no_huge = true;
};

struct CliConfig {
    std::string socket_path = "/run/ostd/ostd.sock";
};

struct AppConfig {
    EalConfig eal;
    CliConfig cli;
    dataplane::DataplaneConfig dataplane;
};

}  // namespace ostd::control
