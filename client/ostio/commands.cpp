#include "client/ostio/commands.hpp"

#include <array>
#include <ostream>

#include "client/ostio/bench_command.hpp"
#include "client/ostio/connect_command.hpp"
#include "client/ostio/ladvise_command.hpp"
#include "client/ostio/locks_command.hpp"
#include "client/ostio/ping_command.hpp"
#include "client/ostio/punch_command.hpp"
#include "client/ostio/read_command.hpp"
#include "client/ostio/run_command.hpp"
#include "client/ostio/stat_command.hpp"
#include "client/ostio/sync_command.hpp"
#include "client/ostio/write_command.hpp"

namespace ostd::client::ostio {

std::span<const Command> commands()
{
    // One line per command; keep them in the order `--help` shows them.
    static const std::array table{
        ping_command(),
        connect_command(),
        write_command(),
        read_command(),
        stat_command(),
        punch_command(),
        sync_command(),
        locks_command(),
        ladvise_command(),
        run_command(),
        bench_command(),
    };
    return table;
}

const Command* find_command(std::string_view name)
{
    for (const Command& command : commands())
        if (command.name == name)
            return &command;
    return nullptr;
}

void print_usage(std::ostream& out)
{
    out << "usage: ostio COMMAND [ARGS...]\n"
           "       ostio COMMAND --help\n"
           "\n"
           "Client tool for ostd appliances (LNET over UDP, port 988 by default).\n"
           "\n"
           "commands:\n";
    for (const Command& command : commands())
        out << "  " << command.name << std::string(command.name.size() < 10 ? 10 - command.name.size() : 1, ' ')
            << command.summary << "\n";
    out << "\nexit status: 0 success, 1 the operation failed, 2 bad arguments\n";
}

namespace {

bool wants_help(std::string_view arg) { return arg == "--help" || arg == "-h" || arg == "help"; }

}  // namespace

int dispatch(std::span<const std::string_view> args, CommandIo io)
{
    if (args.empty()) {
        print_usage(io.err);
        return exit_usage;
    }
    if (wants_help(args[0])) {
        if (args.size() > 1)
            if (const Command* command = find_command(args[1])) {
                io.out << command->usage;
                return exit_ok;
            }
        print_usage(io.out);
        return exit_ok;
    }
    const Command* command = find_command(args[0]);
    if (!command) {
        io.err << "ostio: unknown command '" << args[0] << "' (ostio --help lists them)\n";
        return exit_usage;
    }
    auto rest = args.subspan(1);
    for (std::string_view arg : rest)
        if (arg == "--help" || arg == "-h") {
            io.out << command->usage;
            return exit_ok;
        }
    return command->run(rest, io);
}

}  // namespace ostd::client::ostio
