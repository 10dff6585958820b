// SPECULATIVE, BLOCK_NOWAIT and group locks.
#include <gtest/gtest.h>

#include "tests/unit/ldlm/test_support.hpp"

namespace ostd::ldlm {
namespace {

using namespace test;
using enum LockMode;

TEST(SpeculativeTest, RefusedOverAGrantedIncompatibleLockLeavingNoTrace) {
    LockNamespace ns;
    ns.enqueue(request(1, 1, pw, 0, MiB - 1, nx));
    ns.merge_lvb(object(1), Lvb{4096, 1, 2, 3, 8});
    auto before = ns.resource_locks(object(1));
    std::size_t locks_before = ns.lock_count();

    EnqueueResult r = ns.enqueue(request(2, 1, pw, 512 * KiB, 2 * MiB - 1, spec | nx));
    EXPECT_EQ(r.status, EnqueueStatus::refused);
    EXPECT_EQ(r.reason, RefusalReason::speculative_conflict);
    EXPECT_FALSE(r.handle);
    EXPECT_TRUE(r.actions.empty());
    EXPECT_EQ(ns.resource_locks(object(1)), before);  // no AST_SENT mark either
    EXPECT_EQ(ns.lock_count(), locks_before);
    EXPECT_EQ(ns.lvb(object(1)), (Lvb{4096, 1, 2, 3, 8}));
    EXPECT_EQ(ns.counters().blocking_asts, 0u);
    EXPECT_EQ(ns.counters().speculative_refusals, 1u);
    // The same client handle can be used again: nothing was remembered.
    EXPECT_FALSE(ns.enqueue(request(2, 1, pw, 4 * MiB, 5 * MiB - 1, spec)).resent);
}

TEST(SpeculativeTest, RefusalOnAnUnknownResourceCreatesNothing) {
    LockNamespace ns;
    EnqueueResult r = ns.enqueue(request(2, 1, pw, 0, 1, spec, 0, object(9)));
    EXPECT_EQ(r.status, EnqueueStatus::granted);  // nothing to conflict with
    ns.enqueue(request(1, 1, pw, 0, 1, nx, 0, object(8)));
    EXPECT_EQ(ns.enqueue(request(2, 2, pw, 0, 1, spec, 0, object(8))).status, EnqueueStatus::refused);
    EXPECT_FALSE(ns.lvb(object(7)).has_value());
}

TEST(SpeculativeTest, GrantedUnexpandedOverACompatibleLock) {
    LockNamespace ns;
    ns.enqueue(request(1, 1, pr, 0, 8 * MiB - 1, nx));
    EnqueueResult r = ns.enqueue(request(2, 1, pr, MiB, 2 * MiB - 1, spec));
    EXPECT_EQ(r.status, EnqueueStatus::granted);
    EXPECT_EQ(r.extent, bytes(MiB, MiB));
    EXPECT_EQ(r.flags, 0u);
    EXPECT_NE(ns.lock_info(r.handle)->flags & flag::no_expansion, 0u);
}

TEST(SpeculativeTest, RefusedOverAWaitingConflictingLock) {
    LockNamespace ns;
    ns.enqueue(request(1, 1, pr, 0, MiB - 1, nx));
    ns.enqueue(request(2, 1, pw, 4 * MiB, 5 * MiB - 1, nx));
    ASSERT_EQ(ns.enqueue(request(3, 1, pw, 0, 5 * MiB - 1)).status, EnqueueStatus::waiting);
    // PR [2, 3) MiB: compatible with everything granted, not with the waiter.
    EnqueueResult r = ns.enqueue(request(4, 1, pr, 2 * MiB, 3 * MiB - 1, spec));
    EXPECT_EQ(r.reason, RefusalReason::speculative_conflict);
}

TEST(BlockNowaitTest, WaitsOnAnOrdinaryConflict) {
    LockNamespace ns;
    ns.enqueue(request(1, 1, pw, 0, MiB - 1, nx));
    EnqueueResult r = ns.enqueue(request(2, 1, pw, 0, MiB - 1, flag::block_nowait));
    EXPECT_EQ(r.status, EnqueueStatus::waiting);
    EXPECT_EQ(r.actions.size(), 1u);
}

TEST(BlockNowaitTest, RefusedOnAGroupConflict) {
    LockNamespace ns;
    ns.enqueue(request(1, 1, group, 0, extent_eof, 0, 7));
    EnqueueResult r = ns.enqueue(request(2, 1, pw, 0, MiB - 1, flag::block_nowait));
    EXPECT_EQ(r.status, EnqueueStatus::refused);
    EXPECT_EQ(r.reason, RefusalReason::group_conflict);
    EXPECT_EQ(ns.counters().group_refusals, 1u);
}

TEST(GroupLockTest, IsWholeFileWhateverTheRequest) {
    LockNamespace ns;
    EnqueueResult r = ns.enqueue(request(1, 1, group, MiB, 2 * MiB - 1, 0, 7));
    EXPECT_EQ(r.status, EnqueueStatus::granted);
    EXPECT_EQ(r.extent, Extent::whole_file());
    EXPECT_EQ(r.flags, flag::lock_changed);
    EXPECT_EQ(ns.lock_info(r.handle)->gid, 7u);
    EXPECT_EQ(ns.counters().expansions, 0u);  // a normalisation, not a grown lock
}

TEST(GroupLockTest, SameGidIsCompatibleOtherGidIsRefusedAtOnce) {
    LockNamespace ns;
    ns.enqueue(request(1, 1, group, 0, extent_eof, 0, 7));
    EXPECT_EQ(ns.enqueue(request(2, 1, group, 0, extent_eof, 0, 7)).status, EnqueueStatus::granted);
    EnqueueResult other = ns.enqueue(request(3, 1, group, 0, extent_eof, 0, 8));
    EXPECT_EQ(other.status, EnqueueStatus::refused);
    EXPECT_EQ(other.reason, RefusalReason::group_conflict);
    EXPECT_TRUE(other.actions.empty());
}

TEST(GroupLockTest, IsNeverCalledBack) {
    LockNamespace ns;
    EnqueueResult g = ns.enqueue(request(1, 1, group, 0, extent_eof, 0, 7));
    EnqueueResult w = ns.enqueue(request(2, 1, pw, 0, MiB - 1));
    EXPECT_EQ(w.status, EnqueueStatus::waiting);
    EXPECT_TRUE(w.actions.empty());
    EXPECT_EQ(ns.lock_info(g.handle)->flags & flag::ast_sent, 0u);
    // Released by its holder, the waiter gets it.
    CancelResult c = ns.cancel(g.handle);
    ASSERT_EQ(c.actions.size(), 1u);
    EXPECT_EQ(c.actions[0].lock, w.handle);
}

TEST(GroupLockTest, RequestFlushesOrdinaryLocksByWaitingForThem) {
    // What the strided-writer library does at open: take a group lock to
    // flush everyone's cached locks.
    LockNamespace ns;
    EnqueueResult a = ns.enqueue(request(1, 1, pw, 0, MiB - 1, nx));
    EnqueueResult b = ns.enqueue(request(2, 1, pr, 4 * MiB, 5 * MiB - 1, nx));
    EnqueueResult g = ns.enqueue(request(3, 1, group, 0, extent_eof, 0, 7));
    EXPECT_EQ(g.status, EnqueueStatus::waiting);
    EXPECT_EQ(g.actions.size(), 2u);
    ns.cancel(a.handle);
    CancelResult c = ns.cancel(b.handle);
    ASSERT_EQ(c.actions.size(), 1u);
    EXPECT_EQ(c.actions[0].lock, g.handle);
    EXPECT_EQ(c.actions[0].extent, Extent::whole_file());
}

TEST(GroupLockTest, CrConflictsWithGroup) {
    LockNamespace ns;
    ns.enqueue(request(1, 1, group, 0, extent_eof, 0, 7));
    EXPECT_EQ(ns.enqueue(request(2, 1, cr, 0, 10)).status, EnqueueStatus::waiting);
    EXPECT_EQ(ns.enqueue(request(2, 2, nl, 0, 10)).status, EnqueueStatus::granted);
}

}  // namespace
}  // namespace ostd::ldlm
