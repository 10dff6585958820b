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
    Event* slot = claim();
    if (!slot) {
        _producer.pushbacks.add();
        return false;
    }
    *slot = event;
    publish();
    return true;
}

bool EventQueue::poll(Event& event)
{
    return poll_burst(std::span<Event>(&event, 1)) == 1;
}

size_t EventQueue::poll_burst(std::span<Event> out)
{
    size_t n = 0;
    while (n < out.size()) {  // twice at most: up to the ring's end, then from its start
        std::span<const Event> ready = peek(out.size() - n);
        if (ready.empty())
            break;
        std::copy(ready.begin(), ready.end(), out.begin() + static_cast<ptrdiff_t>(n));
        release(ready.size());
        n += ready.size();
    }
    return n;
}

size_t EventQueue::depth() const
{
    uint64_t head = _producer.head.load(std::memory_order_acquire);
    uint64_t tail = _consumer.tail.load(std::memory_order_acquire);
    return head >= tail ? head - tail : 0;
}

}  // namespace ostd::lnet
