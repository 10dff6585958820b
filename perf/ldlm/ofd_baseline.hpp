// Benchmark-only baseline: the kernel's own byte-range locks (open file
// description locks, F_OFD_SETLK) on a file in /dev/shm.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace ostd::perf::ldlm {

class OfdLockFile {
public:
    OfdLockFile() {
        std::string path = "/dev/shm/ostd_ldlm_bench_" + std::to_string(::getpid());
        _holder = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
        _requester = ::open(path.c_str(), O_RDWR);  // another description: another owner
        ::unlink(path.c_str());
    }
    ~OfdLockFile() {
        if (_holder >= 0) ::close(_holder);
        if (_requester >= 0) ::close(_requester);
    }
    OfdLockFile(const OfdLockFile&) = delete;
    OfdLockFile& operator=(const OfdLockFile&) = delete;

    bool ok() const { return _holder >= 0 && _requester >= 0; }
    // Holds `count` locks of `len` bytes every `stride` bytes. Built by taking
    // one lock over them all and unlocking the gaps from the top down:
    // F_OFD_SETLK of a new lock scans every held lock (K^2 to build), an
    // unlock that splits the first lock does not.
    bool hold_every(std::uint64_t stride, std::uint64_t len, std::uint64_t count) {
        if (count == 0) return true;
        if (!set(_holder, F_WRLCK, 0, (count - 1) * stride + len)) return false;
        for (std::uint64_t j = count - 1; j-- > 0;)
            if (!set(_holder, F_UNLCK, j * stride + len, stride - len)) return false;
        return true;
    }
    bool lock(std::uint64_t start, std::uint64_t len) { return set(_requester, F_WRLCK, start, len); }
    bool unlock(std::uint64_t start, std::uint64_t len) { return set(_requester, F_UNLCK, start, len); }

private:
    static bool set(int fd, short type, std::uint64_t start, std::uint64_t len) {
        struct flock fl {};
        fl.l_type = type;
        fl.l_whence = SEEK_SET;
        fl.l_start = static_cast<off_t>(start);
        fl.l_len = static_cast<off_t>(len);
        return ::fcntl(fd, F_OFD_SETLK, &fl) == 0;
    }

    int _holder = -1;
    int _requester = -1;
};

}  // namespace ostd::perf::ldlm
