// The `ostio` command table and the dispatcher that main() calls.
#pragma once

#include <span>
#include <string_view>

#include "client/ostio/command.hpp"

namespace ostd::client::ostio {

std::span<const Command> commands();
const Command* find_command(std::string_view name);

// args: argv without the program name. Returns the exit code.
int dispatch(std::span<const std::string_view> args, CommandIo io);

void print_usage(std::ostream& out);

}  // namespace ostd::client::ostio
