// `ostio read NID OBJECT`: see the usage text in read_command.cpp.
#pragma once

#include "client/ostio/command.hpp"

namespace ostd::client::ostio {

Command read_command();

}  // namespace ostd::client::ostio
