// `ostio connect NID`: OST_CONNECT to an appliance, one OBD_PING on the
// export, OST_DISCONNECT; prints the export handle and the connect data.
#pragma once

#include "client/ostio/command.hpp"

namespace ostd::client::ostio {

Command connect_command();

}  // namespace ostd::client::ostio
