// Reading what a worker owns (its match table, its peers) from another
// thread: the read runs on the worker's own core (Dataplane::run_on_workers)
// and each worker fills its own slot. The slots are shared-owned, so a worker
// that answers after the caller gave up still writes into live memory.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "dataplane/dataplane.hpp"

namespace ostd::control::cli {

template <typename T>
std::optional<std::vector<T>> query_workers(dataplane::Dataplane& dataplane,
                                            std::function<T(dataplane::Worker&)> read,
                                            std::chrono::milliseconds timeout = std::chrono::seconds(2))
{
    auto slots = std::make_shared<std::vector<T>>(dataplane.workers().size());
    bool answered = dataplane.run_on_workers(
        [slots, read](dataplane::Worker& worker) { (*slots)[worker.index()] = read(worker); }, timeout);
    if (!answered)
        return std::nullopt;
    return *slots;
}

}  // namespace ostd::control::cli
