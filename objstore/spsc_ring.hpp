// A bounded lockless ring with one producer thread and one consumer thread.
// Head and tail sit on separate cache lines, each side caching the other's
// index, so the two threads touch a shared line only when the cache runs out.
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace ostd::objstore {

template <typename T>
class SpscRing {
public:
    explicit SpscRing(size_t capacity)  // rounded up to a power of two
        : _mask(std::bit_ceil(capacity < 2 ? size_t{2} : capacity) - 1), _slots(new T[_mask + 1]) {}

    // Producer side: false when full (nothing written).
    bool try_push(const T& item)
    {
        const uint64_t head = _producer.head.load(std::memory_order_relaxed);
        if (head - _producer.cached_tail > _mask) {
            _producer.cached_tail = _consumer.tail.load(std::memory_order_acquire);
            if (head - _producer.cached_tail > _mask)
                return false;
        }
        _slots[head & _mask] = item;
        _producer.head.store(head + 1, std::memory_order_release);
        return true;
    }

    // Consumer side: moves up to out.size() items, oldest first.
    size_t pop_burst(std::span<T> out)
    {
        const uint64_t tail = _consumer.tail.load(std::memory_order_relaxed);
        if (_consumer.cached_head - tail < out.size())
            _consumer.cached_head = _producer.head.load(std::memory_order_acquire);
        const size_t n = std::min<uint64_t>(out.size(), _consumer.cached_head - tail);
        for (size_t i = 0; i < n; ++i)
            out[i] = _slots[(tail + i) & _mask];
        _consumer.tail.store(tail + n, std::memory_order_release);
        return n;
    }

    size_t capacity() const { return _mask + 1; }
    // Items ever pushed (readable from any thread).
    uint64_t pushed() const { return _producer.head.load(std::memory_order_acquire); }

private:
    struct alignas(64) Producer {
        std::atomic<uint64_t> head{0};
        uint64_t cached_tail = 0;
    };
    struct alignas(64) Consumer {
        std::atomic<uint64_t> tail{0};
        uint64_t cached_head = 0;
    };

    Producer _producer;
    Consumer _consumer;
    const size_t _mask;
    std::unique_ptr<T[]> _slots;
};

}  // namespace ostd::objstore
