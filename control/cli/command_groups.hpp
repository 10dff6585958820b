// Each command group registers its commands (STYLE.md: the CLI is split by
// group). The JSON each command answers is documented at the top of its
// group's file.
#pragma once

#include "control/cli/command_set.hpp"

namespace ostd::control::cli {

void register_port_commands(CommandSet& commands);     // port_commands.cpp
void register_lnet_commands(CommandSet& commands);     // lnet_commands.cpp
void register_process_commands(CommandSet& commands);  // process_commands.cpp
void register_export_commands(CommandSet& commands);   // export_commands.cpp
void register_ldlm_commands(CommandSet& commands);     // ldlm_commands.cpp
void register_object_commands(CommandSet& commands);   // object_commands.cpp

}  // namespace ostd::control::cli
