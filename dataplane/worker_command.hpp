// Commands a worker runs on its own core (see core_command.hpp).
#pragma once

#include <memory>

#include "dataplane/core_command.hpp"

namespace ostd::dataplane {

class Worker;
using WorkerCommand = CoreCommand<Worker>;
using WorkerCommandPtr = std::shared_ptr<WorkerCommand>;

}  // namespace ostd::dataplane
