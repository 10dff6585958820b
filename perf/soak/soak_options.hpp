// The soak driver's command line: which ostd, how many clients for how long,
// on how many objects of what size, and the seed of the operation mix.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "lnet_core/nid.hpp"

namespace ostd::perf::soak {

struct SoakOptions {
    lnet::Nid server;
    uint16_t port = 988;
    unsigned clients = 4;
    unsigned objects = 4;
    uint64_t first_object = 70000;
    uint64_t object_span = 4u << 20;  // writes and reads fall in [0, span)
    uint64_t max_io = 256u << 10;     // largest write or read
    uint64_t seed = 1;
    // Percentages of writes, reads, stats and lockaheads (the rest).
    unsigned write_pct = 40, read_pct = 30, stat_pct = 15;
    std::chrono::seconds duration{20};
    std::chrono::milliseconds rpc_timeout{1000};
    bool json_only = false;
};

// Parses argv; on a bad or missing argument, the message to print (with usage).
std::optional<SoakOptions> parse_soak_options(int argc, char** argv, std::string& error);

extern const char* const soak_usage;

}  // namespace ostd::perf::soak
