// `ostio ping NID`: LNET ping of an appliance (or any LNET node over UDP).
#pragma once

#include "client/ostio/command.hpp"

namespace ostd::client::ostio {

Command ping_command();

}  // namespace ostd::client::ostio
