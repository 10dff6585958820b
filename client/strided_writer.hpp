// The strided-writer library (DESIGN.md 6): what MPI-IO's Lustre driver does
// for one of `writers` ranks writing a shared object in stripes, rank r
// owning stripes r, r + writers, r + 2 × writers, ...
//
// At open: flush every lock on the object (take and drop a GROUP lock) and
// switch no-expand on. Before each write whose offset is outside the window
// already locked ahead: one async LOCKAHEAD (WRITE) of `batch` extents, each
// one stripe long, stepping by writers × stripe_size, from the stripe that
// holds the offset. A failed advice call switches lockahead off for good;
// no-expand stays on.
//
//   StridedWriter writer(*client, file, {.writers = 4, .rank = 1, .stripe_size = 1 << 20});
//   writer.write(5ull << 20, bytes);
//
// Over a striped file the same: the batch's file extents are cut per stripe
// (StripedFile::lockahead), the flush and no-expand go to every stripe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "client/ladvise.hpp"
#include "client/striped_file.hpp"

namespace ostd::client {

struct StridedConfig {
    uint32_t writers;
    uint32_t rank;
    uint64_t stripe_size;
    uint32_t batch = 500;     // extents per lockahead call (at most 1023)
    bool lockahead = true;
    uint64_t group_id = 0x57121de;  // the GROUP lock taken and dropped at open
};

class StridedWriter {
public:
    StridedWriter(OstClient& client, OpenObject& file, const StridedConfig& config);
    StridedWriter(StripedFile& file, const StridedConfig& config);

    // Writes through the client (writeback cache, PW lock), locking ahead first when needed.
    lnet::Result<size_t, std::string> write(uint64_t offset, std::span<const std::byte> data);

    bool lockahead_enabled() const { return _lockahead; }
    // The window already locked ahead: [window_start(), window_end()), end
    // exclusive (the byte after the last extent asked for); 0, 0 before the first batch.
    uint64_t window_start() const { return _window_start; }
    uint64_t window_end() const { return _window_end; }
    // Did the GROUP lock flush at open succeed? (If not, writing goes on.)
    bool flushed_at_open() const { return _flushed; }
    // The negative errno of the advice call that turned lockahead off (0: none).
    int lockahead_error() const { return _lockahead_error; }

    struct Stats {
        uint64_t batches;
        uint64_t extents_requested;
        uint64_t results_sent, results_same, results_different;
    };
    Stats stats() const { return _stats; }

private:
    void lock_ahead_from(uint64_t offset);

    // One of the two targets: a single object, or a striped file.
    OstClient* _client = nullptr;
    OpenObject* _file = nullptr;
    StripedFile* _striped = nullptr;
    StridedConfig _config;
    bool _lockahead;
    bool _flushed = false;
    int _lockahead_error = 0;
    uint64_t _window_start = 0;
    uint64_t _window_end = 0;
    Stats _stats{};
};

}  // namespace ostd::client
