// What LNET tells the owner of an MD (DESIGN.md section 5). Events notify;
// the work they announce is done later, by whoever polls the queue.
#pragma once

#include <cstddef>
#include <cstdint>

#include "lnet_core/memory_descriptor.hpp"
#include "lnet_core/nid.hpp"

namespace ostd::lnet {

enum class EventType : uint8_t { get = 1, put = 2, reply = 3, ack = 4, send = 5, unlink = 6 };

struct Event {
    EventType type = EventType::put;
    bool unlinked = false;   // this was the MD's last event: it is gone
    int32_t status = 0;      // 0 or -errno
    uint32_t portal = 0;
    ProcessId initiator;     // who started the operation
    ProcessId target;        // whom it was addressed to
    uint64_t match_bits = 0;
    uint32_t rlength = 0;    // bytes requested
    uint32_t mlength = 0;    // bytes matched (moved)
    uint32_t offset = 0;     // where in the MD
    MdHandle md;
    uint64_t hdr_data = 0;
    uint64_t user_data = 0;  // the MD's
    std::byte* data = nullptr;  // md start + offset: where the bytes are
};

}  // namespace ostd::lnet
