#include "lnet_core/event_queue.hpp"

#include <algorithm>
#include <bit>

namespace ostd::lnet {

EventQueue::EventQueue(size_t capacity)
    : _mask(std::bit_ceil(std::max<size_t>(capacity, 2)) - 1), _ring(new Event[_mask + 1])
{
}

size_t EventQueue::free_slots() const
{
    uint64_t head = _producer.head.load(std::memory_order_relaxed);
    uint64_t tail = _consumer.tail.load(std::memory_order_acquire);
    return capacity() - (head - tail);
}

bool EventQueue::try_post(const Event& event)
{
    uint64_t head = _producer.head.load(std::memory_order_relaxed);
    if (head - _producer.cached_tail >= capacity()) {
        _producer.cached_tail = _consumer.tail.load(std::memory_order_acquire);
        if (head - _producer.cached_tail >= capacity()) {
            _producer.pushbacks.add();
            return false;
        }
    }
    _ring[head & _mask] = event;
    _producer.head.store(head + 1, std::memory_order_release);
    _producer.posted.add();
    return true;
}

bool EventQueue::poll(Event& event)
{
    return poll_burst(std::span<Event>(&event, 1)) == 1;
}

size_t EventQueue::poll_burst(std::span<Event> out)
{
    uint64_t tail = _consumer.tail.load(std::memory_order_relaxed);
    if (_consumer.cached_head == tail)
        _consumer.cached_head = _producer.head.load(std::memory_order_acquire);
    size_t n = std::min<uint64_t>(out.size(), _consumer.cached_head - tail);
    for (size_t i = 0; i < n; ++i)
        out[i] = _ring[(tail + i) & _mask];
    if (n)
        _consumer.tail.store(tail + n, std::memory_order_release);
    return n;
}

size_t EventQueue::depth() const
{
    uint64_t head = _producer.head.load(std::memory_order_acquire);
    uint64_t tail = _consumer.tail.load(std::memory_order_acquire);
    return head >= tail ? head - tail : 0;
}

}  // namespace ostd::lnet
