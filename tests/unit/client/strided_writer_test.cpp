// The strided writer against the in-test LDLM (DESIGN.md 6): the GROUP lock
// flush and no-expand at open, a batch exactly when the offset leaves the
// window (stripe-long extents, stepping writers × stripe, from the offset's
// stripe), and a failed advice call turning lockahead off.
#include "client/strided_writer.hpp"

#include <gtest/gtest.h>

#include <cerrno>

#include "tests/unit/client/ost_harness.hpp"

using namespace ostd;
using namespace ostd::client;
using namespace ostd::client::testing;

namespace {

namespace flag = ptlrpc::ldlm_flag;
constexpr uint64_t stripe = 4096;

std::vector<LogEntry> entries(const MiniOst& ost, const std::string& what)
{
    std::vector<LogEntry> out;
    for (const auto& e : ost.log())
        if (e.what == what)
            out.push_back(e);
    return out;
}

}  // namespace

TEST(StridedWriter, OpenFlushesOthersLocksWithAGroupLockAndSwitchesNoExpandOn)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 1});
    ASSERT_TRUE(client->write(file, 0, pattern(100, 1)));  // a dirty, expanded PW lock of our own
    StridedWriter writer(*client, file, {.writers = 2, .rank = 0, .stripe_size = stripe, .batch = 4});
    EXPECT_TRUE(writer.flushed_at_open());
    EXPECT_TRUE(file.no_expand);
    EXPECT_EQ(h.ost.object(1).size(), 100u);  // flushed before the lock went
    auto locks = h.ost.locks();
    EXPECT_TRUE(locks.empty());              // group lock taken and dropped, the PW lock with it
    EXPECT_TRUE(client->locks().snapshot().empty());
    // The group lock waited for our PW lock to be called back, then was granted.
    auto waits = entries(h.ost, "wait");
    ASSERT_EQ(waits.size(), 1u);
    EXPECT_EQ(waits[0].a, 0u);  // whole file
    EXPECT_EQ(waits[0].b, object_eof);
    EXPECT_EQ(h.ost.count("bl_ast"), 1u);
    EXPECT_EQ(h.ost.count("cp_ast"), 1u);
    EXPECT_EQ(h.ost.count("cancel"), 2u);
    EXPECT_EQ(writer.window_end(), 0u);
    EXPECT_EQ(writer.stats().batches, 0u);
}

TEST(StridedWriter, BatchesExactlyWhenTheOffsetLeavesTheWindow)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 2});
    StridedWriter writer(*client, file, {.writers = 3, .rank = 1, .stripe_size = stripe, .batch = 4});
    auto block = pattern(stripe, 7);
    // Rank 1 writes stripes 1, 4, 7, 10, then 13 (outside the first window).
    ASSERT_TRUE(writer.write(1 * stripe, block));
    EXPECT_EQ(writer.stats().batches, 1u);
    EXPECT_EQ(writer.window_start(), 1 * stripe);
    EXPECT_EQ(writer.window_end(), 11 * stripe);  // last extent: stripe 10
    for (uint64_t s : {4, 7, 10}) {
        ASSERT_TRUE(writer.write(s * stripe, block));
        EXPECT_EQ(writer.stats().batches, 1u) << "stripe " << s;
    }
    ASSERT_TRUE(writer.write(13 * stripe + 100, std::span(block).subspan(100)));  // mid-stripe offset
    EXPECT_EQ(writer.stats().batches, 2u);
    EXPECT_EQ(writer.window_start(), 13 * stripe);
    EXPECT_EQ(writer.window_end(), 23 * stripe);

    std::vector<Extent> expected;
    for (uint64_t s : {1, 4, 7, 10, 13, 16, 19, 22})
        expected.push_back({s * stripe, (s + 1) * stripe - 1});
    ASSERT_TRUE(ostd::client::testing::progress_until(*client, [&] { return client->locks().async_in_flight() == 0; }));
    EXPECT_EQ(lockahead_grants(h.ost), expected);
    auto stats = writer.stats();
    EXPECT_EQ(stats.extents_requested, 8u);
    EXPECT_EQ(stats.results_sent, 8u);
    EXPECT_EQ(stats.results_same + stats.results_different, 0u);
    // Every write used a lockahead lock: no other enqueue than the group lock and the 8.
    EXPECT_EQ(h.ost.count("enqueue"), 9u);
    EXPECT_TRUE(writer.lockahead_enabled());
    ASSERT_TRUE(client->fsync(file));
    EXPECT_EQ(h.ost.count("write"), 5u);
}

TEST(StridedWriter, GoingBackBelowTheWindowAsksAgainAndFindsTheLocksHeld)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 3});
    StridedWriter writer(*client, file, {.writers = 2, .rank = 0, .stripe_size = stripe, .batch = 3});
    auto block = pattern(stripe, 1);
    ASSERT_TRUE(writer.write(4 * stripe, block));  // window [4, 9) stripes: 4, 6, 8
    ASSERT_TRUE(writer.write(0, block));           // below: batch 0, 2, 4 (4 already held: SAME)
    auto stats = writer.stats();
    EXPECT_EQ(stats.batches, 2u);
    EXPECT_EQ(stats.results_sent, 5u);
    EXPECT_EQ(stats.results_same, 1u);
    EXPECT_EQ(writer.window_start(), 0u);
    EXPECT_EQ(writer.window_end(), 5 * stripe);
}

TEST(StridedWriter, FailedAdviceTurnsLockaheadOffAndKeepsNoExpand)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 4});
    StridedWriter writer(*client, file, {.writers = 2, .rank = 0, .stripe_size = stripe, .batch = 1024});
    auto block = pattern(stripe, 1);
    ASSERT_TRUE(writer.write(0, block));
    EXPECT_FALSE(writer.lockahead_enabled());
    EXPECT_EQ(writer.lockahead_error(), -EFBIG);
    EXPECT_EQ(writer.stats().batches, 1u);
    EXPECT_EQ(writer.window_end(), 0u);
    ASSERT_TRUE(writer.write(2 * stripe, block));
    EXPECT_EQ(writer.stats().batches, 1u);  // not asked again
    EXPECT_TRUE(file.no_expand);
    auto enqueues = entries(h.ost, "enqueue");
    ASSERT_EQ(enqueues.size(), 3u);  // group, then one per write
    for (size_t i = 1; i < enqueues.size(); ++i) {
        EXPECT_EQ(enqueues[i].a & flag::no_expansion, flag::no_expansion);
        EXPECT_EQ(enqueues[i].a & flag::speculative, 0u);
    }
    auto held = client->locks().snapshot();
    ASSERT_EQ(held.size(), 2u);
    EXPECT_EQ(held[0].extent, (Extent{0, stripe - 1}));  // not expanded
}

TEST(StridedWriter, LockaheadOffInTheConfigNeverAdvises)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 5});
    StridedWriter writer(*client, file, {.writers = 2, .rank = 1, .stripe_size = stripe, .lockahead = false});
    ASSERT_TRUE(writer.write(stripe, pattern(stripe, 1)));
    EXPECT_FALSE(writer.lockahead_enabled());
    EXPECT_EQ(writer.stats().batches, 0u);
    EXPECT_TRUE(file.no_expand);
}
