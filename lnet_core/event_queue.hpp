// A lockless single-producer / single-consumer event queue: one per core.
// The producer is the core that matches; the consumer is whoever serves the
// events (the same core after its burst, or the control core). A full queue
// refuses the post: the caller learns it and keeps the message (pushback),
// nothing is dropped.
#pragma once

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
