// What the CLI and telemetry see of a running appliance: references to the
// parts main() owns. The parts stay owned by main(); this only points at them.
#pragma once

#include <atomic>

#include "control/config/app_config.hpp"
#include "control/control_core.hpp"
#include "control/ping_service.hpp"
#include "dataplane/dataplane.hpp"

namespace ostd::control {

struct ApplianceContext {
    const AppConfig& config;
    dataplane::Dataplane& dataplane;
    ControlCore& control;  // what it owns: through control.call()
    const PingService& ping;
    std::atomic<bool>& quit;  // set to end the process cleanly
};

}  // namespace ostd::control
