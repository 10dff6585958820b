// `ostio sync NID OBJECT`: see the usage text in sync_command.cpp.
#pragma once

#include "client/ostio/command.hpp"

namespace ostd::client::ostio {

Command sync_command();

}  // namespace ostd::client::ostio
