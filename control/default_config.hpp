// The configuration ostd runs with when none is given: configs/tap.yaml,
// embedded at build time.
#pragma once

namespace ostd::control {

extern const char* const default_config_yaml;

}  // namespace ostd::control
