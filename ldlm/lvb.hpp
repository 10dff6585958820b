// Lock value block: the object attributes that ride with locks (ost_lvb).
#pragma once

#include <algorithm>
#include <cstdint>

namespace ostd::ldlm {

struct Lvb {
    std::uint64_t size = 0;
    std::uint64_t mtime = 0;
    std::uint64_t atime = 0;
    std::uint64_t ctime = 0;
    std::uint64_t blocks = 0;
    friend constexpr bool operator==(const Lvb&, const Lvb&) = default;
};

// Writes and glimpse answers only ever move these forward, so merging is a
// field-wise maximum (truncate goes through LockNamespace::set_lvb instead).
constexpr Lvb lvb_max(const Lvb& a, const Lvb& b) {
    return {std::max(a.size, b.size), std::max(a.mtime, b.mtime), std::max(a.atime, b.atime),
            std::max(a.ctime, b.ctime), std::max(a.blocks, b.blocks)};
}

}  // namespace ostd::ldlm
