// One `ostio` subcommand: its name, what it does, how it is called, and the
// function that runs it. Each command lives in a file of its own and is listed
// once in commands.cpp.
#pragma once

#include <iosfwd>
#include <span>
#include <string_view>

namespace ostd::client::ostio {

// Exit codes, as shell tools use them.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failed = 1;  // the operation failed (timeout, refused, I/O error)
inline constexpr int exit_usage = 2;   // bad arguments

struct CommandIo {
    std::ostream& out;  // results (text or JSON)
    std::ostream& err;  // diagnostics
};

struct Command {
    std::string_view name;
    std::string_view summary;  // one line for `ostio --help`
    std::string_view usage;    // the full synopsis and options
    // args: what follows the command name.
    int (*run)(std::span<const std::string_view> args, CommandIo io);
};

}  // namespace ostd::client::ostio
