// Byte extents, inclusive at both ends, as Lustre keeps them.
#pragma once

#include <cstdint>

namespace ostd::ldlm {

inline constexpr std::uint64_t extent_eof = ~0ULL;

struct Extent {
    std::uint64_t start = 0;
    std::uint64_t end = 0;  // inclusive; extent_eof = to the end of any file

    static constexpr Extent whole_file() { return {0, extent_eof}; }

    constexpr bool valid() const { return start <= end; }
    constexpr bool overlaps(const Extent& o) const { return start <= o.end && o.start <= end; }
    constexpr bool contains(const Extent& o) const { return start <= o.start && o.end <= end; }
    friend constexpr bool operator==(const Extent&, const Extent&) = default;
};

}  // namespace ostd::ldlm
