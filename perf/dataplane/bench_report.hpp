// What dataplane_bench found: both packet rates, their ratio, and the
// evidence that the full path really delivered what it received.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "perf/dataplane/put_capture.hpp"

namespace ostd::perf {

inline constexpr double expected_ratio_at_least = 0.25;
inline constexpr double required_matched_fraction = 0.99;

struct BenchResult {
    // Workload.
    size_t mes = 0;
    uint32_t payload = 0;
    size_t frames = 0;
    size_t mes_hit = 0;       // distinct MEs the capture aims at
    uint32_t clients = 0;
    uint16_t burst = 0;
    double seconds = 0;       // requested length of each measured window
    // Phase 1: RX burst + free.
    double bare_seconds = 0;
    uint64_t bare_packets = 0;
    // Phase 2: the real worker loop, the control core draining the EQ.
    double full_seconds = 0;
    uint64_t received = 0;      // taken from the port by the worker
    uint64_t lnet_messages = 0; // handed to LNET (retries after a pushback count again)
    uint64_t matched = 0;       // delivered into an MD with an event posted
    uint64_t events = 0;        // PUT events the control core drained
    uint64_t drops = 0;         // network and LNET drops, any reason
    uint64_t pushbacks = 0;     // messages held back (EQ full), offered again later
    std::vector<std::string> drop_reasons;  // "name=count" for each non-zero reason

    double bare_pps() const { return bare_seconds > 0 ? bare_packets / bare_seconds : 0; }
    double full_pps() const { return full_seconds > 0 ? matched / full_seconds : 0; }
    double ratio() const { return bare_pps() > 0 ? full_pps() / bare_pps() : 0; }
    double matched_fraction() const { return received > 0 ? double(matched) / received : 0; }
    // A run that delivered (almost) nothing of what it received proves nothing.
    bool valid() const;
    std::string verdict() const;
};

BenchResult describe_workload(const PutWorkload& workload, size_t mes_hit, uint16_t burst, double seconds);
void print_result(const BenchResult& result);
std::string result_json(const BenchResult& result);
bool write_text_file(const std::string& path, const std::string& text);

}  // namespace ostd::perf
