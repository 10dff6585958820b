// The packet-path ceiling (DESIGN.md 10a): an lcore that does nothing but
// RX bursts and frees, on the same port and queue the worker uses. Whatever
// the full path costs is measured against this.
#pragma once

#include <atomic>
#include <cstdint>

namespace ostd::perf {

class BareLoop {
public:
    BareLoop(uint16_t port, uint16_t queue, uint16_t burst) : _port(port), _queue(queue), _burst(burst) {}

    // Starts the loop on a worker lcore; false if the lcore is busy.
    bool launch(unsigned lcore);
    // Ends the loop and joins its lcore.
    void stop();
    // Packets received and freed so far (readable from any thread).
    uint64_t packets() const { return _packets.load(std::memory_order_relaxed); }

private:
    static int main(void* self);
    void run();

    uint16_t _port;
    uint16_t _queue;
    uint16_t _burst;
    unsigned _lcore = 0;
    bool _launched = false;
    std::atomic<bool> _stop{false};
    alignas(64) std::atomic<uint64_t> _packets{0};  // written by the loop only
};

}  // namespace ostd::perf
