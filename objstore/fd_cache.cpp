#include "objstore/fd_cache.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>

namespace ostd::objstore {

OpenFile::~OpenFile()
{
    ::close(_fd);
}

void FdCache::file_name(uint64_t id, char (&name)[17])
{
    std::snprintf(name, sizeof(name), "%016" PRIx64, id);
}

StoreResult<OpenFilePtr> FdCache::get(uint64_t id, bool create, const char* op, uint64_t offset)
{
    {
        std::lock_guard guard(_lock);
        auto it = _entries.find(id);
        if (it != _entries.end()) {
            _lru.splice(_lru.begin(), _lru, it->second.lru);
            return it->second.file;
        }
    }
    // Opened outside the lock: an open may touch the disk.
    auto opened = open_file(id, create, op, offset);
    if (!opened)
        return opened;
    insert(id, *opened);
    return opened;
}

StoreResult<OpenFilePtr> FdCache::open_file(uint64_t id, bool create, const char* op, uint64_t offset)
{
    char name[17];
    file_name(id, name);
    int fd = ::openat(_directory_fd, name, O_RDWR | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
        fd = ::openat(_directory_fd, name, O_RDWR | O_CLOEXEC | O_CREAT, 0644);
        if (fd >= 0)
            _directory_dirty.store(true);
    }
    if (fd < 0)
        return store_error(errno, op, id, offset);
    return std::make_shared<OpenFile>(fd);
}

void FdCache::insert(uint64_t id, const OpenFilePtr& file)
{
    OpenFilePtr evicted;  // closed after the lock is released
    std::lock_guard guard(_lock);
    if (_entries.count(id) != 0)
        return;  // another thread opened it meanwhile: ours closes when dropped
    _lru.push_front(id);
    _entries.emplace(id, Entry{file, _lru.begin()});
    if (_entries.size() > _capacity) {
        auto victim = _entries.find(_lru.back());
        evicted = std::move(victim->second.file);
        _entries.erase(victim);
        _lru.pop_back();
    }
}

void FdCache::forget(uint64_t id)
{
    OpenFilePtr dropped;
    std::lock_guard guard(_lock);
    auto it = _entries.find(id);
    if (it == _entries.end())
        return;
    dropped = std::move(it->second.file);
    _lru.erase(it->second.lru);
    _entries.erase(it);
}

size_t FdCache::open_count()
{
    std::lock_guard guard(_lock);
    return _entries.size();
}

}  // namespace ostd::objstore
