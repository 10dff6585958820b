// `ostio run NID [FILE]`: see the usage text in run_command.cpp.
#pragma once

#include "client/ostio/command.hpp"

namespace ostd::client::ostio {

Command run_command();

}  // namespace ostd::client::ostio
