// Everything an ostd instance is configured with (DESIGN.md section 9).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dataplane/dataplane_config.hpp"
#include "objstore/object_store.hpp"

namespace ostd::control {

struct EalConfig {
    std::vector<std::string> args;  // passed to rte_eal_init as given
    std::string file_prefix = "ostd";
    unsigned memory_mb = 512;
    bool no_huge = true;
};

// Request buffers each worker posts per request portal (DESIGN.md 9).
struct ServicesConfig {
    size_t request_buffers = 4;     // posted at start
    size_t buffer_size = 64 * 1024;
    uint32_t max_request = 8 * 1024;
    size_t low_water = 2;           // fewer ready than this: post another
    size_t max_buffers = 64;
};

// Lock policy (DESIGN.md 6 and 9): Lustre's expansion and its contention
// cap, and how long clients get to answer callbacks.
struct LdlmConfig {
    bool expansion = true;
    uint32_t contention_locks = 32;         // more conflicting locks than this: cap PW/CW grants...
    uint64_t contention_extent = 32u << 20; // ...at start + this - 1 (bytes)
    uint32_t waiter_limit = 4;              // beyond this many conflicting waiters, keep the start
    uint32_t callback_timeout_ms = 5000;    // a called-back lock not cancelled by then: evict
    uint32_t glimpse_timeout_ms = 2000;     // a glimpse answers with what came back by then
    // The lock budget (granted + waiting): beyond it enqueues get -EINPROGRESS.
    // Per client: well above a client's LRU (1024) plus a lockahead batch.
    // Per resource: 64 strided writers x 500 lockahead extents fit.
    uint32_t max_locks_per_client = 4096;
    uint32_t max_locks_per_resource = 32768;
};

struct CliConfig {
    std::string socket_path = "/run/ostd/ostd.sock";
};

struct AppConfig {
    EalConfig eal;
    CliConfig cli;
    ServicesConfig services;
    LdlmConfig ldlm;
    dataplane::DataplaneConfig dataplane;
    objstore::ObjectStoreConfig object_store;  // `object_store:` (DESIGN.md 8)
};

}  // namespace ostd::control
