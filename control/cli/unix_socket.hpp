// The CLI's listening unix socket: parent directory created, a stale socket
// (nobody answering) replaced, a live one left alone, mode 0600.
#pragma once

#include <string>

#include "lnet_core/result.hpp"

namespace ostd::control::cli {

lnet::Result<int, std::string> listen_unix(const std::string& path);

}  // namespace ostd::control::cli
