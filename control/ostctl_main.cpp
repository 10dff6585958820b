// ostctl: one command to a running ostd over its unix socket, the answer on
// stdout. Exit 0 on an answer, 1 when ostd answered an error (unknown
// command, ...) or cannot be reached, 2 on bad arguments.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "control/cli/ostctl_args.hpp"
#include "control/config/config_loader.hpp"
#include "control/default_config.hpp"

namespace {

using ostd::control::cli::OstctlOptions;

void usage(FILE* out)
{
    std::fprintf(out,
                 "usage: ostctl [--socket PATH] [--json] WORDS...\n"
                 "  sends one command to a running ostd (e.g. `ostctl show port stats all`)\n"
                 "  --socket PATH  ostd's CLI socket (default: the default configuration's)\n"
                 "  --json         answer as one JSON object\n"
                 "  `ostctl help` lists the commands\n");
}

std::string default_socket()
{
    auto config = ostd::control::load_config_text(ostd::control::default_config_yaml, "<embedded>");
    return config ? config->cli.socket_path : std::string("/run/ostd/ostd-tap.sock");
}

// Connects, sends the request, reads the answer until ostd closes.
bool exchange(const std::string& path, const std::string& request, std::string& answer, std::string& error)
{
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof address.sun_path) {
        error = "socket path too long: " + path;
        return false;
    }
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        bool absent = errno == ENOENT || errno == ECONNREFUSED;
        error = (absent ? "ostd is not running at " : "cannot reach ostd at ") + path + ": " + std::strerror(errno);
        if (fd >= 0)
            ::close(fd);
        return false;
    }
    timeval timeout{30, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    bool sent = ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size());
    ::shutdown(fd, SHUT_WR);  // end of request: ostd answers, then closes
    char buffer[8192];
    ssize_t n;
    while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0)
        answer.append(buffer, static_cast<size_t>(n));
    int read_errno = errno;
    ::close(fd);
    if (!sent || n < 0) {
        error = std::string("no answer from ostd at ") + path + ": " + std::strerror(sent ? read_errno : errno);
        return false;
    }
    return true;
}

}  // namespace

int main(int argc, char** argv)
{
    OstctlOptions options;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (auto bad = ostd::control::cli::parse_ostctl_args(args, options)) {
        std::fprintf(stderr, "ostctl: %s\n", bad->c_str());
        usage(stderr);
        return 2;
    }
    if (options.help) {
        usage(stdout);
        return 0;
    }
    std::string path = options.socket_path.empty() ? default_socket() : options.socket_path;
    std::string answer, error;
    if (!exchange(path, ostd::control::cli::ostctl_request(options), answer, error)) {
        std::fprintf(stderr, "ostctl: %s\n", error.c_str());
        return 1;
    }
    auto refused = ostd::control::cli::answer_error(answer);
    if (!refused || options.json)  // JSON: the error object too, for scripts
        std::fwrite(answer.data(), 1, answer.size(), stdout);
    if (refused) {
        std::fprintf(stderr, "ostctl: error: %s\n", refused->c_str());
        return 1;
    }
    return 0;
}
