// A service running on a worker: it serves the LNET events of the MDs it
// tagged (the top 16 bits of an MD's user_data name the service) and gets a
// turn after every burst for its own pending work (retries, storage
// completions). It runs on the worker's core only; handlers do the work that
// events announce (callbacks only notify).
#pragma once

#include <cstddef>
#include <cstdint>

#include "lnet_core/event.hpp"

namespace ostd::dataplane {

class Worker;

using ServiceId = uint16_t;  // 0: no service (the event is only counted)

constexpr ServiceId service_of(uint64_t user_data) { return static_cast<ServiceId>(user_data >> 48); }
constexpr uint64_t service_tag(ServiceId service) { return uint64_t{service} << 48; }

class WorkerService {
public:
    virtual ~WorkerService() = default;
    virtual void on_event(const lnet::Event& event, Worker& worker) = 0;
    // Called after each burst; returns how much work it did (0: idle).
    virtual size_t poll(Worker&) { return 0; }
};

}  // namespace ostd::dataplane
