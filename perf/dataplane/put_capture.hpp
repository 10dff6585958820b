// The data-plane benchmark's workload: many clients PUT small messages into
// match-unique MEs (the bulk portal), as OST bulk writes do. It describes the
// MEs the appliance attaches and writes the capture that net_pcap replays:
// Ethernet/IPv4/UDP frames with valid checksums, one LNET PUT each, whose
// match bits hit MEs at random positions of the table.
#pragma once

#include <rte_ether.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "lnet_core/memory_descriptor.hpp"
#include "lnet_core/result.hpp"

namespace ostd::perf {

struct PutWorkload {
    uint32_t appliance_ip = 0x0a4d0001;       // 10.77.0.1 (host order)
    rte_ether_addr appliance_mac{};           // the frames' destination
    uint16_t udp_port = 988;
    uint16_t net_number = 0;                  // tcp
    uint32_t first_client_ip = 0x0a4d0100;    // 10.77.1.0: clients fill 10.77.1.0 onwards
    uint32_t clients = 300;
    uint32_t pids_per_client = 4;             // 0x80000000 | n, as user-space LNET peers
    uint32_t portal = 8;                      // the bulk portal: match-unique
    size_t mes = 100000;
    size_t frames = 8192;                     // distinct frames in the capture
    uint32_t payload = 64;                    // bytes of PUT data per frame
    uint64_t seed = 0x6f737464;
};

// What one ME waits for; the capture's PUTs carry exactly these.
struct MeKey {
    uint32_t client_ip = 0;  // host order
    uint32_t pid = 0;
    uint64_t match_bits = 0;
};

// The workload's MEs, in attach order (deterministic for a given seed).
std::vector<MeKey> me_keys(const PutWorkload& workload);

lnet::MatchSpec match_spec(const PutWorkload& workload, const MeKey& key);

// Writes workload.frames PUTs, each to a key drawn uniformly from keys, as a
// classic libpcap file. Returns how many distinct MEs the frames hit.
lnet::Result<size_t, std::string> write_put_capture(const std::string& path, const PutWorkload& workload,
                                                    const std::vector<MeKey>& keys);

}  // namespace ostd::perf
