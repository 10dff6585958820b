#include "control/cli/cli.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmdline.h>
#include <cmdline_socket.h>
#include <cstdio>

#include "control/cli/command_groups.hpp"
#include "control/cli/unix_socket.hpp"

namespace ostd::control::cli {
namespace {

constexpr int poll_ms = 200;               // how soon a front end notices stop
constexpr int connection_timeout_s = 10;   // a silent client is dropped after this
constexpr size_t max_request = 64 * 1024;  // bytes of commands per connection

}  // namespace

Cli::Cli(ApplianceContext& context) : _context(context)
{
    register_port_commands(_commands);
    register_lnet_commands(_commands);
    register_process_commands(_commands);
    register_export_commands(_commands);
    register_ldlm_commands(_commands);
    register_object_commands(_commands);
}

Cli::~Cli() { stop(); }

lnet::Result<bool, std::string> Cli::serve_socket(const std::string& path)
{
    auto fd = listen_unix(path);
    if (!fd)
        return fd.error();
    _listen_fd = fd.value();
    _socket_path = path;
    _socket_thread = std::thread([this] { socket_loop(); });
    return true;
}

void Cli::start_interactive()
{
    _stdin_thread = std::thread([this] { stdin_loop(); });
}

void Cli::stop()
{
    _stop.store(true);
    if (_socket_thread.joinable())
        _socket_thread.join();
    if (_stdin_thread.joinable())
        _stdin_thread.join();
    if (_listen_fd >= 0) {
        ::close(_listen_fd);
        ::unlink(_socket_path.c_str());
        _listen_fd = -1;
    }
}

void Cli::socket_loop()
{
    while (!_stop.load()) {
        pollfd listening{_listen_fd, POLLIN, 0};
        if (::poll(&listening, 1, poll_ms) <= 0)
            continue;
        int fd = ::accept4(_listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        serve_connection(fd);
        ::close(fd);
    }
}

// Lines in, answers out, until the client closes its side (or says quit).
void Cli::serve_connection(int fd)
{
    timeval timeout{connection_timeout_s, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    int own = ::dup(fd);  // cmdline_free closes the descriptor it was given
    cmdline* line = own < 0 ? nullptr : cmdline_new(_commands.context(), "", own, own);
    if (line == nullptr) {
        if (own >= 0)
            ::close(own);
        return;
    }
    Session session(_context, _commands, fd);
    std::string pending;
    char buffer[4096];
    while (!session.ended() && !_stop.load()) {
        ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0)
            break;
        pending.append(buffer, static_cast<size_t>(n));
        for (size_t end; !session.ended() && (end = pending.find('\n')) != std::string::npos;) {
            std::string text = pending.substr(0, end);
            pending.erase(0, end + 1);
            execute_line(line, session, text);
        }
        if (pending.size() > max_request) {
            session.error("request too long");
            pending.clear();
            break;
        }
    }
    if (!pending.empty() && !session.ended())
        execute_line(line, session, pending);
    cmdline_free(line);
}

void Cli::stdin_loop()
{
    cmdline* line = cmdline_stdin_new(_commands.context(), "ostd> ");
    if (line == nullptr) {
        std::fprintf(stderr, "ostd: cannot start the interactive prompt\n");
        return;
    }
    Session session(_context, _commands, STDOUT_FILENO);
    session.bind(line);
    while (!_stop.load() && !session.ended()) {
        pollfd input{STDIN_FILENO, POLLIN, 0};
        if (::poll(&input, 1, poll_ms) <= 0)
            continue;
        char buffer[256];
        ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n <= 0) {  // end of input: the operator is gone, so is ostd
            session.write("\n");
            _context.quit.store(true);
            break;
        }
        SessionScope scope(session);
        if (cmdline_in(line, buffer, static_cast<int>(n)) < 0)
            break;
    }
    cmdline_stdin_exit(line);
}

}  // namespace ostd::control::cli
