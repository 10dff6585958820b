// One counter per reason of an enum that ends in `count_`: how every layer
// counts what it refused. Written by one owner core, readable anywhere.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "lnet_core/counter.hpp"

namespace ostd::lnet {

template <typename Reason>
class ReasonCounters {
public:
    static constexpr size_t size = static_cast<size_t>(Reason::count_);
    static constexpr Reason reason_of(size_t index) { return static_cast<Reason>(index); }

    void count(Reason reason) { _counts[static_cast<size_t>(reason)].add(); }
    uint64_t get(Reason reason) const { return _counts[static_cast<size_t>(reason)].get(); }
    uint64_t total() const
    {
        uint64_t sum = 0;
        for (const Counter& c : _counts)
            sum += c.get();
        return sum;
    }
    void reset()
    {
        for (Counter& c : _counts)
            c.reset();
    }

private:
    std::array<Counter, size> _counts{};
};

}  // namespace ostd::lnet
