// `ostio write NID OBJECT`: see the usage text in write_command.cpp.
#pragma once

#include "client/ostio/command.hpp"

namespace ostd::client::ostio {

Command write_command();

}  // namespace ostd::client::ostio
