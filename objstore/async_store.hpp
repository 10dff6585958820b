// The front the polled cores use: a worker never blocks on storage (DESIGN 8).
//
// Each worker owns one StoreChannel. `submit` hands a request to the storage
// threads (a TBB task arena) and returns at once; it refuses (pushback) when
// the worker already has `queue_depth` requests in flight. The result comes
// back through SPSC rings, one per storage thread, that only this worker
// reads without a lock: `poll_completions` collects them. Because a worker never has
// more requests in flight than a ring holds, a storage thread never finds a
// ring full and never waits for a worker.
//
// Buffers named in a request (read destination, write source) belong to the
// submitter until its completion is polled.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "lnet_core/counter.hpp"
#include "objstore/object_store.hpp"
#include "objstore/spsc_ring.hpp"

namespace ostd::objstore {

enum class StoreOp : uint8_t { read, write, getattr, set_size, punch, sync, remove };
inline constexpr size_t store_op_count = 7;
std::string_view to_string(StoreOp op);

struct StoreRequest {
    StoreOp op = StoreOp::getattr;
    uint64_t object = 0;
    uint64_t offset = 0;                 // read, write, punch: where the range starts
    uint64_t length = 0;                 // read, write: bytes; set_size: new size; punch: end
    std::byte* read_into = nullptr;      // read: destination of `length` bytes
    const std::byte* write_from = nullptr;  // write: source of `length` bytes
    uint64_t cookie = 0;                 // the submitter's, returned in the completion

    static StoreRequest read(uint64_t object, uint64_t offset, std::span<std::byte> into, uint64_t cookie);
    static StoreRequest write(uint64_t object, uint64_t offset, std::span<const std::byte> from, uint64_t cookie);
    static StoreRequest getattr(uint64_t object, uint64_t cookie);
    static StoreRequest set_size(uint64_t object, uint64_t size, uint64_t cookie);
    static StoreRequest punch(uint64_t object, uint64_t start, uint64_t end, uint64_t cookie);
    static StoreRequest sync(uint64_t object, uint64_t cookie);
    static StoreRequest remove(uint64_t object, uint64_t cookie);
};

struct StoreCompletion {
    uint64_t cookie = 0;
    StoreOp op = StoreOp::getattr;
    int status = 0;      // 0, or -errno
    uint64_t bytes = 0;  // read or written
    ObjectAttr attr;     // getattr, set_size, punch
    StoreError error;    // when status != 0: the operation, object, offset and errno
};

// Written only by the channel's worker (at submit and poll time).
struct ChannelCounters {
    std::array<lnet::Counter, store_op_count> completed;  // by operation
    lnet::Counter bytes_read;
    lnet::Counter bytes_written;
    lnet::Counter errors;
    lnet::Counter accepted;
    lnet::Counter pushbacks;  // refused: queue_depth requests already in flight
};

class AsyncStore;

class alignas(64) StoreChannel {
public:
    StoreChannel(AsyncStore& owner, size_t depth, size_t rings);
    StoreChannel(const StoreChannel&) = delete;
    StoreChannel& operator=(const StoreChannel&) = delete;

    // Owning worker only. Never blocks; false = pushback (try again later).
    bool submit(const StoreRequest& request);
    size_t poll_completions(std::span<StoreCompletion> out);
    size_t in_flight() const { return _in_flight; }
    size_t depth() const { return _depth; }

    // Any thread.
    const ChannelCounters& counters() const { return _counters; }

private:
    friend class AsyncStore;
    void count(const StoreCompletion& completion);
    uint64_t produced() const;

    AsyncStore& _owner;
    const size_t _depth;
    size_t _in_flight = 0;
    size_t _next_ring = 0;
    // One ring per storage thread, chosen by the thread's arena slot. TBB's
    // slot numbers may exceed the thread count (an arena of 1 uses slot 1),
    // so slots fold onto rings modulo their count and a producer-side flag
    // keeps each ring single-producer; it is uncontended when every storage
    // thread has its own ring. The worker (consumer) never touches it.
    struct CompletionRing {
        explicit CompletionRing(size_t capacity) : ring(capacity) {}
        SpscRing<StoreCompletion> ring;
        alignas(64) std::atomic_flag producing = ATOMIC_FLAG_INIT;
    };
    void deliver(size_t slot, const StoreCompletion& completion);
    std::vector<std::unique_ptr<CompletionRing>> _rings;
    ChannelCounters _counters;
};

class AsyncStore {
public:
    // `config.threads` storage threads, `config.queue_depth` requests in flight
    // per worker. Raises TBB's process-wide thread limit if it is below
    // threads + 1 (storage threads block in I/O: they may outnumber cores).
    AsyncStore(ObjectStore& store, unsigned workers, const ObjectStoreConfig& config);
    // Waits for the requests in flight (call once the workers have stopped).
    ~AsyncStore();
    AsyncStore(const AsyncStore&) = delete;
    AsyncStore& operator=(const AsyncStore&) = delete;

    StoreChannel& channel(unsigned worker) { return *_channels.at(worker); }
    unsigned workers() const { return static_cast<unsigned>(_channels.size()); }
    size_t threads() const { return _threads; }
    ObjectStore& store() { return _store; }

private:
    friend class StoreChannel;
    void start(StoreChannel& channel, const StoreRequest& request);
    StoreCompletion execute(const StoreRequest& request);

    ObjectStore& _store;
    const size_t _threads;
    struct Threads;  // the TBB arena (and thread limit), kept out of this header
    std::unique_ptr<Threads> _arena;
    std::vector<std::unique_ptr<StoreChannel>> _channels;
};

}  // namespace ostd::objstore
