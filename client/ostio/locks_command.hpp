// `ostio locks NID OBJECT`: see the usage text in locks_command.cpp.
#pragma once

#include "client/ostio/command.hpp"

namespace ostd::client::ostio {

Command locks_command();

}  // namespace ostd::client::ostio
