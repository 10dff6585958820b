#include "control/cli/unix_socket.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace ostd::control::cli {
namespace {

std::string failure(const std::string& what, const std::string& path)
{
    return "CLI socket " + path + ": " + what + ": " + std::strerror(errno);
}

// True when a process accepts connections on path.
bool someone_listens(const sockaddr_un& address)
{
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    bool live = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return live;
}

}  // namespace

lnet::Result<int, std::string> listen_unix(const std::string& path)
{
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof address.sun_path)
        return std::string("CLI socket path '" + path + "' is empty or too long");
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);

    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty())
        std::filesystem::create_directories(parent, ec);
    if (ec)
        return "CLI socket " + path + ": cannot create " + parent.string() + ": " + ec.message();
    struct stat existing{};
    if (::lstat(path.c_str(), &existing) == 0) {
        if (!S_ISSOCK(existing.st_mode))
            return "CLI socket " + path + ": exists and is not a socket";
        if (someone_listens(address))
            return "CLI socket " + path + ": another process is serving it";
        ::unlink(path.c_str());  // stale: left by an ostd that did not stop cleanly
    }

    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return failure("socket", path);
    // Nobody can connect before listen(), so chmod after bind leaves no window.
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
        ::chmod(path.c_str(), 0600) != 0 || ::listen(fd, 8) != 0) {
        std::string message = failure("bind/listen", path);
        ::close(fd);
        return message;
    }
    return fd;
}

}  // namespace ostd::control::cli
