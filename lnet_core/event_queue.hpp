// A lockless single-producer / single-consumer event queue: one per core.
// The producer is the core that matches; the consumer is whoever serves the
// events (the same core after its burst, or the control core). A full queue
// refuses the post: the caller learns it and keeps the message (pushback),
// nothing is dropped.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "lnet_core/counter.hpp"
#include "lnet_core/event.hpp"

namespace ostd::lnet {

class EventQueue {
public:
    explicit EventQueue(size_t capacity);  // rounded up to a power of two

    // Producer side.
    bool try_post(const Event& event);
    // In place, for the data path (no Event built and copied): claim() gives
    // the next slot, or null when full (nothing changes); the producer fills
    // every field, then publish() hands it to the consumer.
    Event* claim()
    {
        uint64_t head = _producer.head.load(std::memory_order_relaxed);
        if (head - _producer.cached_tail >= capacity()) {
            _producer.cached_tail = _consumer.tail.load(std::memory_order_acquire);
            if (head - _producer.cached_tail >= capacity())
                return nullptr;
        }
        return &_ring[head & _mask];
    }
    void publish()
    {
        _producer.head.store(_producer.head.load(std::memory_order_relaxed) + 1, std::memory_order_release);
        _producer.posted.add();
    }
    // Whether one more post will succeed. Reads the consumer's index only
    // when the cached copy says full, so the hot path stays on our line.
    bool has_room()
    {
        uint64_t head = _producer.head.load(std::memory_order_relaxed);
        if (head - _producer.cached_tail < capacity())
            return true;
        _producer.cached_tail = _consumer.tail.load(std::memory_order_acquire);
        return head - _producer.cached_tail < capacity();
    }
    size_t free_slots() const;  // exact, reading the consumer's index
    void note_pushback() { _producer.pushbacks.add(); }

    // Consumer side.
    bool poll(Event& event);
    size_t poll_burst(std::span<Event> out);
    // In place: up to max events ready to read where they are (contiguous, so
    // fewer than max at the ring's end), valid until release(n) frees them.
    std::span<const Event> peek(size_t max)
    {
        uint64_t tail = _consumer.tail.load(std::memory_order_relaxed);
        if (_consumer.cached_head == tail)
            _consumer.cached_head = _producer.head.load(std::memory_order_acquire);
        size_t at = tail & _mask;
        size_t n = std::min<uint64_t>({max, _consumer.cached_head - tail, capacity() - at});
        return {&_ring[at], n};
    }
    void release(size_t n)
    {
        _consumer.tail.store(_consumer.tail.load(std::memory_order_relaxed) + n, std::memory_order_release);
    }

    size_t capacity() const { return _mask + 1; }
    size_t depth() const;  // approximate when read from a third thread
    uint64_t posted() const { return _producer.posted.get(); }
    uint64_t pushbacks() const { return _producer.pushbacks.get(); }

private:
    // Producer and consumer state on separate cache lines so the two cores
    // do not bounce one line; each keeps a cached copy of the other's index.
    struct alignas(64) Producer {
        std::atomic<uint64_t> head{0};
        uint64_t cached_tail = 0;
        Counter posted;
        Counter pushbacks;
    };
    struct alignas(64) Consumer {
        std::atomic<uint64_t> tail{0};
        uint64_t cached_head = 0;
    };

    Producer _producer;
    Consumer _consumer;
    size_t _mask;
    std::unique_ptr<Event[]> _ring;
};

}  // namespace ostd::lnet
