// An option that may be given several times ("--ost A --ost B"): the parser
// keeps one value per name, so such options are taken out of the arguments
// first, every occurrence in order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lnet_core/result.hpp"

namespace ostd::client::ostio {

// Removes every "--name VALUE" and "--name=VALUE" from raw (before a lone
// "--") and returns the values in order.
lnet::Result<std::vector<std::string_view>, std::string> take_repeated(std::vector<std::string_view>& raw,
                                                                      std::string_view name);

}  // namespace ostd::client::ostio
