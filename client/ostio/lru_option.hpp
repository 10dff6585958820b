// --lru-size N: how many unused locks the client keeps before cancelling the
// oldest (LockCacheConfig::lru_size, Lustre's lru_size). For the commands that
// take many locks (ladvise, locks); 0 keeps none.
#pragma once

#include <string>

#include "client/ost_client.hpp"
#include "client/ostio/options.hpp"

namespace ostd::client::ostio {

inline constexpr OptionSpec lru_size_spec{"lru-size", true};
inline constexpr std::string_view lru_size_usage =
    "  --lru-size N   unused locks kept before the oldest are cancelled (default 1024)\n";

// Sets config.locks.lru_size from --lru-size (the default when absent).
inline lnet::Result<bool, std::string> apply_lru_size(const ParsedArgs& args, OstClientConfig& config)
{
    auto size = uint_option(args, "lru-size", LockCacheConfig::default_lru_size, 0, uint64_t{1} << 24);
    if (!size)
        return size.error();
    config.locks.lru_size = *size;
    return true;
}

}  // namespace ostd::client::ostio
