#include "dataplane/eal.hpp"

#include <rte_eal.h>
#include <rte_errno.h>

namespace ostd::dataplane {

lnet::Result<std::unique_ptr<Eal>, std::string> Eal::init(const std::vector<std::string>& args)
{
    std::vector<std::string> copies = args;  // rte_eal_init may permute argv
    std::vector<char*> argv;
    for (std::string& arg : copies)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (rte_eal_init(static_cast<int>(copies.size()), argv.data()) < 0) {
        std::string line;
        for (const std::string& arg : args)
            line += " " + arg;
        return "EAL initialisation failed (" + std::string(rte_strerror(rte_errno)) + "):" + line;
    }
    return std::unique_ptr<Eal>(new Eal());
}

Eal::~Eal()
{
    rte_eal_cleanup();
}

}  // namespace ostd::dataplane
