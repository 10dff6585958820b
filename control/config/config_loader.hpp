// Loads an ostd YAML configuration strictly: unknown keys, wrong types and
// impossible values are refused with the file, line and key.
#pragma once

#include <string>

#include "control/config/app_config.hpp"
#include "lnet_core/result.hpp"

namespace ostd::control {

lnet::Result<AppConfig, std::string> load_config_file(const std::string& path);
lnet::Result<AppConfig, std::string> load_config_text(const std::string& text, const std::string& name);

}  // namespace ostd::control
