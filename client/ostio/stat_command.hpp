// `ostio stat NID OBJECT`: see the usage text in stat_command.cpp.
#pragma once

#include "client/ostio/command.hpp"

namespace ostd::client::ostio {

Command stat_command();

}  // namespace ostd::client::ostio
