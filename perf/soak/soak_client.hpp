// One soak client: its own UDP socket, pid and export, doing a seeded random
// mix of locked writes, reads (checked against the model), stats (glimpses,
// checked against the model's size) and lockahead on the shared objects.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "perf/soak/shared_object.hpp"
#include "perf/soak/soak_options.hpp"

namespace ostd::perf::soak {

struct SoakTally {
    uint64_t writes = 0, reads = 0, stats = 0, lockaheads = 0;
    uint64_t bytes_written = 0, bytes_read = 0;
    uint64_t mismatches = 0;  // reads or stats that disagree with the model
    uint64_t failures = 0;    // operations that failed (RPC errors, refused connections)
    uint64_t short_reads = 0; // reads that stopped at a hole before another client's unflushed data
    std::string first_problem;

    void add(const SoakTally& other);
    void problem(std::string what, bool mismatch);
    uint64_t operations() const { return writes + reads + stats + lockaheads; }
};

client::OstClientConfig soak_client_config(const SoakOptions& options, unsigned index);

class SoakClient {
public:
    SoakClient(unsigned index, const SoakOptions& options, std::deque<SharedObject>& objects);

    // Connects, runs the mix until `deadline`, disconnects (flushing its dirty data).
    SoakTally run(std::chrono::steady_clock::time_point deadline);

private:
    void write(client::OstClient& client, SharedObject& object, const client::OpenObject& file);
    void read(client::OstClient& client, SharedObject& object, const client::OpenObject& file);
    void stat(client::OstClient& client, SharedObject& object, const client::OpenObject& file);
    void lockahead(client::OstClient& client, const client::OpenObject& file);
    uint64_t below(uint64_t bound) { return _random() % bound; }

    unsigned _index;
    const SoakOptions& _options;
    std::deque<SharedObject>& _objects;
    std::mt19937_64 _random;
    SoakTally _tally;
    std::vector<std::byte> _buffer;
};

}  // namespace ostd::perf::soak
