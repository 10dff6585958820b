// Event queue: one producer thread posts, one consumer thread polls. Items
// are events transferred; a post refused by a full queue is retried, never
// counted. Baseline beside it: a mutex-protected deque, same pattern.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <thread>

#include "lnet_core/event_queue.hpp"
#include "perf/lnet/baseline_mutex_deque.hpp"

namespace ostd::perf::lnet {
namespace {

using ostd::lnet::Event;

constexpr size_t eq_capacity = 1024;

// Waits a little for the other side. On this shared 2-core machine both
// threads may land on one core: after a burst of pauses, give the core away
// instead of spinning out the time slice (the same for every queue).
class Backoff {
public:
    void wait()
    {
        if (++_spins < 256) {
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
            return;
        }
        _spins = 0;
        std::this_thread::yield();
    }
    void reset() { _spins = 0; }

private:
    unsigned _spins = 0;
};

// The consumer runs until it has taken every event the producer says it sent.
template <class Queue>
class Consumer {
public:
    explicit Consumer(Queue& queue) : _queue(queue), _thread([this] { run(); }) {}

    // Waits for the last event; returns how many were taken.
    uint64_t finish(uint64_t sent)
    {
        _sent.store(sent, std::memory_order_relaxed);
        _done.store(true, std::memory_order_release);
        _thread.join();
        return _taken;
    }

private:
    void run()
    {
        Event event;
        Backoff backoff;
        for (;;) {
            if (_queue.poll(event)) {
                benchmark::DoNotOptimize(event);
                ++_taken;
                backoff.reset();
            } else if (_done.load(std::memory_order_acquire) &&
                       _taken == _sent.load(std::memory_order_relaxed)) {
                return;
            } else {
                backoff.wait();
            }
        }
    }

    Queue& _queue;
    std::atomic<bool> _done{false};
    std::atomic<uint64_t> _sent{0};
    uint64_t _taken = 0;
    std::thread _thread;  // last: starts once the rest is constructed
};

template <class Queue>
void bm_post_consume(benchmark::State& state)
{
    Queue queue(eq_capacity);
    Consumer<Queue> consumer(queue);
    Event event;
    event.type = ostd::lnet::EventType::put;
    event.portal = 8;
    event.rlength = event.mlength = 1024;
    uint64_t sent = 0;
    Backoff backoff;
    for (auto _ : state) {
        event.match_bits = sent;
        while (!queue.try_post(event))
            backoff.wait();
        backoff.reset();
        ++sent;
    }
    uint64_t taken = consumer.finish(sent);  // drains at most a queueful
    if (taken != sent)
        state.SkipWithError("consumer took a different number of events");
    state.SetItemsProcessed(static_cast<int64_t>(sent));
}

BENCHMARK(bm_post_consume<ostd::lnet::EventQueue>)->Name("eq/post_consume")->UseRealTime();
BENCHMARK(bm_post_consume<BaselineMutexDeque>)->Name("eq/post_consume_mutex_deque")->UseRealTime();

}  // namespace
}  // namespace ostd::perf::lnet
