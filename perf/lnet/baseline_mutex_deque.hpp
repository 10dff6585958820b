// BENCHMARK-ONLY BASELINE, not used by ostd: the event queue as a
// mutex-protected std::deque with the same bounded capacity and the same
// try_post / poll interface, so the EQ benchmark can run both unchanged.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>

#include "lnet_core/event.hpp"

namespace ostd::perf::lnet {

class BaselineMutexDeque {
public:
    explicit BaselineMutexDeque(size_t capacity) : _capacity(capacity) {}

    bool try_post(const ostd::lnet::Event& event)
    {
        std::lock_guard lock(_mutex);
        if (_events.size() >= _capacity)
            return false;
        _events.push_back(event);
        return true;
    }

    bool poll(ostd::lnet::Event& event)
    {
        std::lock_guard lock(_mutex);
        if (_events.empty())
            return false;
        event = _events.front();
        _events.pop_front();
        return true;
    }

private:
    std::mutex _mutex;
    std::deque<ostd::lnet::Event> _events;
    size_t _capacity;
};

}  // namespace ostd::perf::lnet
