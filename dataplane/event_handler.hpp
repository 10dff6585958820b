// Who serves an LNET event on a worker. An MD names its service in the top
// 16 bits of its user_data; the worker, draining its own event queue after
// each burst, hands the event to that service's handler on the same core.
// Handlers do the work events announce (callbacks only notify).
#pragma once

#include <cstdint>

#include "lnet_core/event.hpp"

namespace ostd::dataplane {

class Worker;

using ServiceId = uint16_t;  // 0: no service (the event is only counted)

constexpr ServiceId service_of(uint64_t user_data) { return static_cast<ServiceId>(user_data >> 48); }
constexpr uint64_t service_tag(ServiceId service) { return uint64_t{service} << 48; }

class EventHandler {
public:
    virtual ~EventHandler() = default;
    virtual void on_event(const lnet::Event& event, Worker& worker) = 0;
};

}  // namespace ostd::dataplane
