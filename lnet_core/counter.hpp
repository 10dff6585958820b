// A statistics counter with one writer (its owner core) and any number of
// readers (CLI, telemetry). Relaxed load+store, no read-modify-write: as cheap
// as a plain increment, and still race-free for the readers.
#pragma once

#include <atomic>
#include <cstdint>

namespace ostd::lnet {

class Counter {
public:
    void add(uint64_t n = 1) { _value.store(_value.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
    uint64_t get() const { return _value.load(std::memory_order_relaxed); }
    void reset() { _value.store(0, std::memory_order_relaxed); }

private:
    std::atomic<uint64_t> _value{0};
};

}  // namespace ostd::lnet
