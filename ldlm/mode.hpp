// Lock modes and their compatibility matrix (DESIGN.md section 6).
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace ostd::ldlm {

// Bit values are the wire values.
enum class LockMode : std::uint32_t {
    ex = 1,
    pw = 2,
    pr = 4,
    cw = 8,
    cr = 16,
    nl = 32,
    group = 64,
};

inline constexpr std::size_t mode_count = 7;

inline constexpr std::array<LockMode, mode_count> all_modes = {
    LockMode::ex, LockMode::pw, LockMode::pr, LockMode::cw,
    LockMode::cr, LockMode::nl, LockMode::group,
};

constexpr bool is_valid_mode(std::uint32_t bits) {
    return std::has_single_bit(bits) && bits <= static_cast<std::uint32_t>(LockMode::group);
}

// Dense index 0..6, for per-mode arrays (one interval tree per mode).
constexpr std::size_t mode_index(LockMode m) {
    return static_cast<std::size_t>(std::countr_zero(static_cast<std::uint32_t>(m)));
}

constexpr std::uint32_t bits(LockMode m) { return static_cast<std::uint32_t>(m); }

// The modes each mode can coexist with. CR excludes GROUP, as Lustre's
// LCK_COMPAT_CR does, so the matrix stays symmetric.
constexpr std::uint32_t compat_mask(LockMode m) {
    using enum LockMode;
    switch (m) {
    case ex: return bits(nl);
    case pw: return bits(nl) | bits(cr);
    case pr: return bits(nl) | bits(cr) | bits(pr);
    case cw: return bits(nl) | bits(cr) | bits(cw);
    case cr: return bits(nl) | bits(cr) | bits(pr) | bits(pw) | bits(cw);
    case nl: return 0x7f;
    case group: return bits(nl) | bits(group);
    }
    return 0;
}

constexpr bool modes_compatible(LockMode a, LockMode b) { return (compat_mask(a) & bits(b)) != 0; }

// Mode compatibility plus the group rule: GROUP locks coexist only within a gid.
constexpr bool locks_compatible(LockMode a, std::uint64_t gid_a, LockMode b, std::uint64_t gid_b) {
    if (a == LockMode::group && b == LockMode::group) return gid_a == gid_b;
    return modes_compatible(a, b);
}

// Modes under which a client may write, hence grow the file: glimpse targets.
constexpr bool is_write_mode(LockMode m) {
    return m == LockMode::ex || m == LockMode::pw || m == LockMode::cw || m == LockMode::group;
}

constexpr const char* mode_name(LockMode m) {
    using enum LockMode;
    switch (m) {
    case ex: return "EX";
    case pw: return "PW";
    case pr: return "PR";
    case cw: return "CW";
    case cr: return "CR";
    case nl: return "NL";
    case group: return "GROUP";
    }
    return "?";
}

namespace detail {
constexpr bool matrix_is_symmetric() {
    for (LockMode a : all_modes)
        for (LockMode b : all_modes)
            if (modes_compatible(a, b) != modes_compatible(b, a)) return false;
    return true;
}
}  // namespace detail
static_assert(detail::matrix_is_symmetric());

}  // namespace ostd::ldlm
