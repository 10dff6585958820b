// `ostio punch NID OBJECT`: see the usage text in punch_command.cpp.
#pragma once

#include "client/ostio/command.hpp"

namespace ostd::client::ostio {

Command punch_command();

}  // namespace ostd::client::ostio
