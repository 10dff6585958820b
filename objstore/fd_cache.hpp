// Open object files, bounded, least recently used evicted first. A descriptor
// handed out stays open while its holder uses it, even if evicted meanwhile
// (shared ownership); the cache's own lock is held only for the lookup.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "objstore/store_error.hpp"

namespace ostd::objstore {

class OpenFile {
public:
    explicit OpenFile(int fd) : _fd(fd) {}
    ~OpenFile();
    OpenFile(const OpenFile&) = delete;
    OpenFile& operator=(const OpenFile&) = delete;
    int fd() const { return _fd; }

private:
    int _fd;
};

using OpenFilePtr = std::shared_ptr<OpenFile>;

class FdCache {
public:
    FdCache(int directory_fd, size_t capacity) : _directory_fd(directory_fd), _capacity(capacity) {}

    // Opens (or creates, if `create`) the object's file; ENOENT if it does not
    // exist and `create` is false. `op` and `offset` name the caller in errors.
    StoreResult<OpenFilePtr> get(uint64_t id, bool create, const char* op, uint64_t offset = 0);
    void forget(uint64_t id);
    // True once after any file was created: the directory needs an fsync.
    bool take_directory_dirty() { return _directory_dirty.exchange(false); }
    size_t open_count();

    static void file_name(uint64_t id, char (&name)[17]);

private:
    StoreResult<OpenFilePtr> open_file(uint64_t id, bool create, const char* op, uint64_t offset);
    void insert(uint64_t id, const OpenFilePtr& file);

    struct Entry {
        OpenFilePtr file;
        std::list<uint64_t>::iterator lru;
    };

    const int _directory_fd;
    const size_t _capacity;
    std::mutex _lock;
    std::list<uint64_t> _lru;  // most recent first
    std::unordered_map<uint64_t, Entry> _entries;
    std::atomic<bool> _directory_dirty{false};
};

}  // namespace ostd::objstore
