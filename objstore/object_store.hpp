// The object store: 64-bit object ids (an LDLM resource name's first word), each
// a sparse byte array with a size and attributes. One interface, one backend per
// file (memory_store, file_store), picked once from the configuration.
//
// Every method may be called from several storage threads at once. Operations
// on different objects run in parallel; writes (and size changes) on one object
// are serialised, so a write is never seen half-done by another write or read.
// These calls may block (locks, disk): polled cores go through AsyncStore.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "objstore/store_error.hpp"

namespace ostd::objstore {

// Punch to the end of the object.
inline constexpr uint64_t object_eof = ~uint64_t{0};
// Largest size an object may have (that of a file on Linux).
inline constexpr uint64_t max_object_size = (uint64_t{1} << 63) - 1;

struct ObjectAttr {
    uint64_t size = 0;    // highest byte written + 1, or as set by set_size
    uint64_t blocks = 0;  // 512-byte units actually allocated
    int64_t atime = 0;    // seconds since the epoch
    int64_t mtime = 0;
    int64_t ctime = 0;
};

struct ObjectInfo {  // one row of `show objects`
    uint64_t id = 0;
    uint64_t size = 0;
    uint64_t blocks = 0;
};

enum class StoreKind { memory, file };

struct ObjectStoreConfig {
    StoreKind kind = StoreKind::memory;
    std::string directory;                  // file: where the objects live (created if missing)
    size_t threads = 2;                     // storage threads behind AsyncStore
    size_t queue_depth = 1024;              // AsyncStore: requests in flight per worker
    uint64_t memory_limit = 4ull << 30;     // memory: bytes of data pages; beyond it ENOSPC
    size_t page_size = 64 * 1024;           // memory: allocation unit (a power of two >= 512)
    size_t open_files = 256;                // file: descriptors kept open (LRU)
};

std::optional<StoreKind> parse_store_kind(std::string_view name);  // "memory" | "file"
std::string_view to_string(StoreKind kind);

class ObjectStore {
public:
    virtual ~ObjectStore() = default;

    virtual StoreKind kind() const = 0;

    // Creates the object if it does not exist; returns the bytes written
    // (all of them, or an error: ENOSPC, EFBIG, EIO).
    virtual StoreResult<size_t> write(uint64_t id, uint64_t offset, std::span<const std::byte> data) = 0;
    // Holes read as zeros; stops at the object's size: returns the bytes read,
    // 0 at or past the end. ENOENT if the object does not exist.
    virtual StoreResult<size_t> read(uint64_t id, uint64_t offset, std::span<std::byte> out) = 0;
    virtual StoreResult<ObjectAttr> getattr(uint64_t id) = 0;
    // Truncates or extends (creating the object if needed); returns the new attributes.
    virtual StoreResult<ObjectAttr> set_size(uint64_t id, uint64_t size) = 0;
    // Deallocates [start, end) (end = object_eof: to the end); the range reads
    // as zeros afterwards, the size does not change.
    virtual StoreResult<ObjectAttr> punch(uint64_t id, uint64_t start, uint64_t end) = 0;
    // On return, everything written to the object before the call is durable
    // (the file backend fsyncs; memory has nothing to do).
    virtual StoreResult<Done> sync(uint64_t id) = 0;
    virtual StoreResult<Done> remove(uint64_t id) = 0;
    // Every object, ordered by id (for `show objects`).
    virtual std::vector<ObjectInfo> list() = 0;
};

using ObjectStorePtr = std::unique_ptr<ObjectStore>;

// Builds the backend the configuration names. The error says what is wrong
// (an unusable directory, a page size that is not a power of two, ...).
lnet::Result<ObjectStorePtr, std::string> make_object_store(const ObjectStoreConfig& config);

}  // namespace ostd::objstore
