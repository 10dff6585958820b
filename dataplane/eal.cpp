#include "dataplane/eal.hpp"

#include <rte_eal.h>
#include <rte_errno.h>

#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>

namespace ostd::dataplane {
namespace {

// EAL leaves its runtime directory (/var/run/dpdk/<file prefix>) behind,
// empty: one per prefix, without end on a machine that runs many instances.
// Its telemetry socket is unlinked by an atexit handler that rte_eal_init
// registers, so ours is registered before it and runs after it.
// A plain array: a std::string would be destroyed before this handler runs.
char runtime_dir[PATH_MAX];

void remove_runtime_dir()
{
    if (runtime_dir[0] != '\0')
        rmdir(runtime_dir);  // only if empty: never another process's files
}

}  // namespace

lnet::Result<std::unique_ptr<Eal>, std::string> Eal::init(const std::vector<std::string>& args)
{
    std::vector<std::string> copies = args;  // rte_eal_init may permute argv
    std::vector<char*> argv;
    for (std::string& arg : copies)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    static bool registered = std::atexit(remove_runtime_dir) == 0;
    (void)registered;
    if (rte_eal_init(static_cast<int>(copies.size()), argv.data()) < 0) {
        std::string line;
        for (const std::string& arg : args)
            line += " " + arg;
        return "EAL initialisation failed (" + std::string(rte_strerror(rte_errno)) + "):" + line;
    }
    std::snprintf(runtime_dir, sizeof runtime_dir, "%s", rte_eal_get_runtime_dir());
    return std::unique_ptr<Eal>(new Eal());
}

Eal::~Eal()
{
    rte_eal_cleanup();
}

}  // namespace ostd::dataplane
