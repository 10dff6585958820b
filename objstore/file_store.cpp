#include "objstore/file_store.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <shared_mutex>

#include "objstore/fd_cache.hpp"

namespace ostd::objstore {

namespace {

ObjectAttr attr_of(const struct stat& st)
{
    return ObjectAttr{static_cast<uint64_t>(st.st_size), static_cast<uint64_t>(st.st_blocks),
                      st.st_atim.tv_sec, st.st_mtim.tv_sec, st.st_ctim.tv_sec};
}

bool parse_file_name(const char* name, uint64_t& id)
{
    if (std::strlen(name) != 16)
        return false;
    for (const char* c = name; *c != '\0'; ++c)
        if (!std::isxdigit(static_cast<unsigned char>(*c)))
            return false;
    id = std::strtoull(name, nullptr, 16);
    return true;
}

class FileStore final : public ObjectStore {
public:
    FileStore(int directory_fd, std::string directory, size_t open_files)
        : _directory(std::move(directory)), _directory_fd(directory_fd), _files(directory_fd, open_files) {}
    ~FileStore() override { ::close(_directory_fd); }

    StoreKind kind() const override { return StoreKind::file; }

    StoreResult<size_t> write(uint64_t id, uint64_t offset, std::span<const std::byte> data) override
    {
        if (offset > max_object_size - std::min<uint64_t>(data.size(), max_object_size))
            return store_error(EFBIG, "write", id, offset);
        std::unique_lock guard(lock_of(id));
        auto file = _files.get(id, true, "write", offset);
        if (!file)
            return file.error();
        for (size_t done = 0; done < data.size();) {
            ssize_t n = ::pwrite((*file)->fd(), data.data() + done, data.size() - done, offset + done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return store_error(n < 0 ? errno : EIO, "write", id, offset + done);
            done += static_cast<size_t>(n);
        }
        return data.size();
    }

    StoreResult<size_t> read(uint64_t id, uint64_t offset, std::span<std::byte> out) override
    {
        if (offset > max_object_size)
            return size_t{0};
        std::shared_lock guard(lock_of(id));
        auto file = _files.get(id, false, "read", offset);
        if (!file)
            return file.error();
        size_t done = 0;
        while (done < out.size()) {
            ssize_t n = ::pread((*file)->fd(), out.data() + done, out.size() - done, offset + done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return store_error(errno, "read", id, offset + done);
            if (n == 0)
                break;  // end of the object
            done += static_cast<size_t>(n);
        }
        return done;
    }

    StoreResult<ObjectAttr> getattr(uint64_t id) override
    {
        std::shared_lock guard(lock_of(id));
        return stat_object(id, "getattr");
    }

    StoreResult<ObjectAttr> set_size(uint64_t id, uint64_t size) override
    {
        if (size > max_object_size)
            return store_error(EFBIG, "set_size", id, size);
        std::unique_lock guard(lock_of(id));
        auto file = _files.get(id, true, "set_size", size);
        if (!file)
            return file.error();
        if (::ftruncate((*file)->fd(), static_cast<off_t>(size)) != 0)
            return store_error(errno, "set_size", id, size);
        return stat_fd((*file)->fd(), id, "set_size");
    }

    StoreResult<ObjectAttr> punch(uint64_t id, uint64_t start, uint64_t end) override
    {
        if (end < start)
            return store_error(EINVAL, "punch", id, start);
        std::unique_lock guard(lock_of(id));
        auto file = _files.get(id, false, "punch", start);
        if (!file)
            return file.error();
        const int fd = (*file)->fd();
        struct stat st;
        if (::fstat(fd, &st) != 0)
            return store_error(errno, "punch", id, start);
        end = std::min(end, static_cast<uint64_t>(st.st_size));  // nothing to free past the end
        if (start < end &&
            ::fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(start),
                        static_cast<off_t>(end - start)) != 0)
            return store_error(errno, "punch", id, start);
        return stat_fd(fd, id, "punch");
    }

    StoreResult<Done> sync(uint64_t id) override
    {
        auto file = _files.get(id, false, "sync");
        if (!file)
            return file.error();
        if (::fsync((*file)->fd()) != 0)
            return store_error(errno, "sync", id);
        // A file created since the last sync is durable only with its name.
        if (_files.take_directory_dirty() && ::fsync(_directory_fd) != 0)
            return store_error(errno, "sync", id);
        return Done{};
    }

    StoreResult<Done> remove(uint64_t id) override
    {
        std::unique_lock guard(lock_of(id));
        char name[17];
        FdCache::file_name(id, name);
        _files.forget(id);
        if (::unlinkat(_directory_fd, name, 0) != 0)
            return store_error(errno, "remove", id);
        return Done{};
    }

    std::vector<ObjectInfo> list() override
    {
        std::vector<ObjectInfo> rows;
        DIR* dir = ::opendir(_directory.c_str());
        if (dir == nullptr)
            return rows;
        while (const dirent* entry = ::readdir(dir)) {
            uint64_t id = 0;
            struct stat st;
            if (parse_file_name(entry->d_name, id) && ::fstatat(_directory_fd, entry->d_name, &st, 0) == 0 &&
                S_ISREG(st.st_mode))
                rows.push_back(ObjectInfo{id, static_cast<uint64_t>(st.st_size), static_cast<uint64_t>(st.st_blocks)});
        }
        ::closedir(dir);
        std::sort(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.id < b.id; });
        return rows;
    }

private:
    static constexpr size_t lock_stripes = 256;

    std::shared_mutex& lock_of(uint64_t id) { return _locks[(id * 0x9E3779B97F4A7C15ull) >> 56].lock; }

    StoreResult<ObjectAttr> stat_object(uint64_t id, const char* op)
    {
        auto file = _files.get(id, false, op);
        if (!file)
            return file.error();
        return stat_fd((*file)->fd(), id, op);
    }

    static StoreResult<ObjectAttr> stat_fd(int fd, uint64_t id, const char* op)
    {
        struct stat st;
        if (::fstat(fd, &st) != 0)
            return store_error(errno, op, id);
        return attr_of(st);
    }

    struct alignas(64) Stripe {
        std::shared_mutex lock;
    };

    const std::string _directory;
    const int _directory_fd;
    FdCache _files;
    std::array<Stripe, lock_stripes> _locks;
};

}  // namespace

lnet::Result<ObjectStorePtr, std::string> make_file_store(const ObjectStoreConfig& config)
{
    const std::string& dir = config.directory;
    if (dir.empty())
        return std::string("object_store.directory: required by the file backend");
    if (config.open_files == 0)
        return std::string("object_store.open_files: must be at least 1");
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
        return "object_store.directory: cannot create " + dir + ": " + std::strerror(errno);
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return "object_store.directory: cannot open " + dir + ": " + std::strerror(errno);
    if (::faccessat(fd, ".", W_OK, AT_EACCESS) != 0) {
        std::string why = "object_store.directory: " + dir + " is not writable: " + std::strerror(errno);
        ::close(fd);
        return why;
    }
    return ObjectStorePtr(std::make_unique<FileStore>(fd, dir, config.open_files));
}

}  // namespace ostd::objstore
