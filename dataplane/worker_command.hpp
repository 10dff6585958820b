// Work another thread asks a worker to do on the worker's own core: the only
// way anything outside a worker touches what the worker owns. Shared
// ownership, so a caller that stops waiting cannot free a command the worker
// is about to run.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>

namespace ostd::dataplane {

class Worker;

class WorkerCommand {
public:
    explicit WorkerCommand(std::function<void(Worker&)> work) : _work(std::move(work)) {}

    void run(Worker& worker)
    {
        _work(worker);
        _done.store(true, std::memory_order_release);
    }
    bool done() const { return _done.load(std::memory_order_acquire); }

    bool wait(std::chrono::milliseconds timeout) const
    {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!done()) {
            if (std::chrono::steady_clock::now() > deadline)
                return false;
            std::this_thread::sleep_for(std::chrono::microseconds(50));
        }
        return true;
    }

private:
    std::function<void(Worker&)> _work;
    std::atomic<bool> _done{false};
};

using WorkerCommandPtr = std::shared_ptr<WorkerCommand>;

}  // namespace ostd::dataplane
