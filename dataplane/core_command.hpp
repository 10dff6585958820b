// Work one thread asks a core to do on the core's own time: the only way
// anything outside a core touches what the core owns. Shared ownership, so a
// caller that stops waiting cannot free a command the core is about to run.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>

namespace ostd::dataplane {

template <typename Owner>
class CoreCommand {
public:
    explicit CoreCommand(std::function<void(Owner&)> work) : _work(std::move(work)) {}

    void run(Owner& owner)
    {
        _work(owner);
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
    std::function<void(Owner&)> _work;
    std::atomic<bool> _done{false};
};

}  // namespace ostd::dataplane
