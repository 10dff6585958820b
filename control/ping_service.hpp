// The LNET ping target: every worker exposes the node's ping info on portal 0
// for GETs with match bits 0x8000000000000000, so `lnetctl ping` and
// `ostio ping` are answered by whichever worker receives them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "dataplane/dataplane.hpp"
#include "lnet_core/ping_info.hpp"
#include "lnet_core/result.hpp"

namespace ostd::control {

class PingService {
public:
    // Attaches the ping MD on every worker (their own cores do it).
    lnet::Result<bool, std::string> start(dataplane::Dataplane& dataplane);
    const lnet::PingInfo& info() const { return _info; }

private:
    lnet::PingInfo _info;
    std::vector<std::vector<std::byte>> _buffers;  // one per worker: its MD's memory
};

}  // namespace ostd::control
