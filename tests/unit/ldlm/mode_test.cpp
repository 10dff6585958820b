#include <gtest/gtest.h>

#include "ldlm/mode.hpp"

namespace ostd::ldlm {
namespace {

using enum LockMode;

TEST(LockModeTest, CompatibilityMatrixFollowsDesign) {
    // Rows of DESIGN.md section 6; anything not listed is incompatible.
    struct Row {
        LockMode mode;
        std::uint32_t compatible;
    };
    const Row rows[] = {
        {ex, bits(nl)},
        {pw, bits(nl) | bits(cr)},
        {pr, bits(nl) | bits(cr) | bits(pr)},
        {cw, bits(nl) | bits(cr) | bits(cw)},
        {cr, bits(nl) | bits(cr) | bits(pr) | bits(pw) | bits(cw)},
        {nl, 0x7f},
        {group, bits(nl) | bits(group)},
    };
    for (const Row& r : rows)
        for (LockMode other : all_modes)
            EXPECT_EQ(modes_compatible(r.mode, other), (r.compatible & bits(other)) != 0)
                << mode_name(r.mode) << " vs " << mode_name(other);
}

TEST(LockModeTest, GroupLocksAreCompatibleOnlyWithinTheirGid) {
    EXPECT_TRUE(locks_compatible(group, 7, group, 7));
    EXPECT_FALSE(locks_compatible(group, 7, group, 8));
    EXPECT_TRUE(locks_compatible(group, 7, nl, 0));
    EXPECT_FALSE(locks_compatible(group, 7, cr, 0));
    EXPECT_FALSE(locks_compatible(pw, 0, group, 7));
}

TEST(LockModeTest, WireValuesAndIndexes) {
    EXPECT_EQ(bits(ex), 1u);
    EXPECT_EQ(bits(group), 64u);
    EXPECT_EQ(mode_index(ex), 0u);
    EXPECT_EQ(mode_index(group), 6u);
    EXPECT_TRUE(is_valid_mode(32));
    EXPECT_FALSE(is_valid_mode(0));
    EXPECT_FALSE(is_valid_mode(3));
    EXPECT_FALSE(is_valid_mode(128));
}

TEST(LockModeTest, WriteModesAreTheGlimpseTargets) {
    EXPECT_TRUE(is_write_mode(pw));
    EXPECT_TRUE(is_write_mode(ex));
    EXPECT_TRUE(is_write_mode(cw));
    EXPECT_TRUE(is_write_mode(group));
    EXPECT_FALSE(is_write_mode(pr));
    EXPECT_FALSE(is_write_mode(cr));
    EXPECT_FALSE(is_write_mode(nl));
}

}  // namespace
}  // namespace ostd::ldlm
