// ostd's operator interface: the command groups gathered into one rte_cmdline
// context, served on a unix socket (for ostctl) and, with `ostd -i`, on stdin.
// Both front ends are side threads: they touch no packet, and they reach what
// a worker owns only through Dataplane::run_on_workers.
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "control/appliance_context.hpp"
#include "control/cli/command_set.hpp"
#include "lnet_core/result.hpp"

namespace ostd::control::cli {

class Cli {
public:
    explicit Cli(ApplianceContext& context);
    ~Cli();
    Cli(const Cli&) = delete;
    Cli& operator=(const Cli&) = delete;

    // Listens on path (parent created, stale socket replaced, mode 0600).
    lnet::Result<bool, std::string> serve_socket(const std::string& path);
    // The `ostd> ` prompt on stdin; end of input or `quit` sets the quit flag.
    void start_interactive();
    // Ends both front ends and removes the socket.
    void stop();

private:
    void socket_loop();
    void serve_connection(int fd);
    void stdin_loop();

    ApplianceContext& _context;
    CommandSet _commands;
    std::atomic<bool> _stop{false};
    int _listen_fd = -1;
    std::string _socket_path;
    std::thread _socket_thread;
    std::thread _stdin_thread;
};

}  // namespace ostd::control::cli
