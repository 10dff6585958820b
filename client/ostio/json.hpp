// Just enough JSON for ostio's --json output: quoted, escaped strings
// (the same escaping as ostd's CLI).
#pragma once

#include "lnet_core/json_string.hpp"

namespace ostd::client::ostio {

using lnet::json_string;

}  // namespace ostd::client::ostio
