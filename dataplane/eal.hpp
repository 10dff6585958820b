// The DPDK environment for the life of the process: initialised from an
// argument list, cleaned up when the Eal goes away (after every port closed).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "lnet_core/result.hpp"

namespace ostd::dataplane {

class Eal {
public:
    static lnet::Result<std::unique_ptr<Eal>, std::string> init(const std::vector<std::string>& args);
    ~Eal();
    Eal(const Eal&) = delete;
    Eal& operator=(const Eal&) = delete;

private:
    Eal() = default;
};

}  // namespace ostd::dataplane
