// Enqueue, wait, cancel, resend and counters: the rules of DESIGN.md section 6.
#include <gtest/gtest.h>

#include <set>

#include "tests/unit/ldlm/test_support.hpp"

namespace ostd::ldlm {
namespace {

using namespace test;
using enum LockMode;

TEST(LockNamespaceTest, HandlesAreNonZeroAndDistinct) {
    LockNamespace ns;
    std::set<std::uint64_t> seen;
    for (std::uint64_t i = 0; i < 1000; ++i) {
        EnqueueResult r = ns.enqueue(request(1, i + 1, pr, i * 4096, i * 4096 + 4095, nx));
        ASSERT_EQ(r.status, EnqueueStatus::granted);
        ASSERT_NE(r.handle.cookie, 0u);
        ASSERT_TRUE(seen.insert(r.handle.cookie).second);
    }
}

TEST(LockNamespaceTest, CompatibleLocksAreGrantedTogether) {
    LockNamespace ns;
    EXPECT_EQ(ns.enqueue(request(1, 1, pr, 0, MiB - 1)).status, EnqueueStatus::granted);
    EXPECT_EQ(ns.enqueue(request(2, 1, pr, 0, MiB - 1)).status, EnqueueStatus::granted);
    EXPECT_EQ(ns.enqueue(request(3, 1, cr, 0, MiB - 1)).status, EnqueueStatus::granted);
    EXPECT_EQ(ns.counters().granted_per_mode[mode_index(pr)], 2u);
    EXPECT_EQ(ns.counters().granted_per_mode[mode_index(cr)], 1u);
}

TEST(LockNamespaceTest, DisjointIncompatibleLocksAreGrantedTogether) {
    LockNamespace ns;
    EXPECT_EQ(ns.enqueue(request(1, 1, pw, 0, MiB - 1, nx)).status, EnqueueStatus::granted);
    EXPECT_EQ(ns.enqueue(request(2, 1, pw, MiB, 2 * MiB - 1, nx)).status, EnqueueStatus::granted);
}

TEST(LockNamespaceTest, ConflictWaitsAndCallsTheHolderBackOnce) {
    LockNamespace ns;
    EnqueueResult a = ns.enqueue(request(1, 11, pw, 0, MiB - 1, nx));
    EnqueueResult b = ns.enqueue(request(2, 21, pw, 0, 4095));
    EXPECT_EQ(b.status, EnqueueStatus::waiting);
    EXPECT_EQ(b.flags, flag::block_granted);
    EXPECT_EQ(b.extent, bytes(0, 4096));
    ASSERT_EQ(b.actions.size(), 1u);
    const Action& ast = b.actions[0];
    EXPECT_EQ(ast.kind, ActionKind::blocking_ast);
    EXPECT_EQ(ast.client, ClientId{1});
    EXPECT_EQ(ast.lock, a.handle);
    EXPECT_EQ(ast.client_handle, 11u);
    EXPECT_EQ(ast.blocker, b.handle);
    EXPECT_EQ(ast.extent, bytes(0, MiB));
    EXPECT_NE(ns.lock_info(a.handle)->flags & flag::ast_sent, 0u);

    // A second conflicting request does not call the same lock back again.
    EnqueueResult c = ns.enqueue(request(3, 31, pw, 8192, 12287));
    EXPECT_EQ(c.status, EnqueueStatus::waiting);
    EXPECT_TRUE(c.actions.empty());
    EXPECT_EQ(ns.counters().blocking_asts, 1u);
    EXPECT_EQ(ns.counters().waits, 2u);
    EXPECT_EQ(ns.counters().waiting, 2u);
}

TEST(LockNamespaceTest, CancelGrantsTheWaiterWithACompletionAst) {
    LockNamespace ns;
    EnqueueResult a = ns.enqueue(request(1, 1, pw, 0, MiB - 1, nx));
    EnqueueResult b = ns.enqueue(request(2, 7, pw, 0, 4095));
    CancelResult c = ns.cancel(a.handle);
    EXPECT_EQ(c.status, CancelStatus::cancelled);
    ASSERT_EQ(c.actions.size(), 1u);
    EXPECT_EQ(c.actions[0].kind, ActionKind::completion_ast);
    EXPECT_EQ(c.actions[0].lock, b.handle);
    EXPECT_EQ(c.actions[0].client, ClientId{2});
    EXPECT_EQ(c.actions[0].client_handle, 7u);
    // Expanded when granted: nothing else is left on the resource.
    EXPECT_EQ(c.actions[0].extent, Extent::whole_file());
    EXPECT_EQ(ns.lock_info(b.handle)->state, LockState::granted);
    EXPECT_FALSE(ns.lock_info(a.handle).has_value());
    EXPECT_EQ(ns.counters().completion_asts, 1u);
    EXPECT_EQ(ns.counters().cancels, 1u);
    EXPECT_EQ(ns.counters().waiting, 0u);
}

TEST(LockNamespaceTest, WaitersAreGrantedInArrivalOrder) {
    LockNamespace ns;
    EnqueueResult a = ns.enqueue(request(1, 1, ex, 0, MiB - 1, nx));
    EnqueueResult b = ns.enqueue(request(2, 1, pw, 0, 4095, nx));
    EnqueueResult c = ns.enqueue(request(3, 1, pw, 0, 4095, nx));
    CancelResult r = ns.cancel(a.handle);
    ASSERT_EQ(of_kind(r.actions, ActionKind::completion_ast).size(), 1u);
    EXPECT_EQ(r.actions[0].lock, b.handle);
    // The lock just granted blocks c: it is called back at once.
    auto bl = of_kind(r.actions, ActionKind::blocking_ast);
    ASSERT_EQ(bl.size(), 1u);
    EXPECT_EQ(bl[0].lock, b.handle);
    EXPECT_EQ(bl[0].blocker, c.handle);
    r = ns.cancel(b.handle);
    ASSERT_EQ(r.actions.size(), 1u);
    EXPECT_EQ(r.actions[0].lock, c.handle);
}

TEST(LockNamespaceTest, NoOvertakingAnEarlierConflictingWaiter) {
    LockNamespace ns;
    EnqueueResult r1 = ns.enqueue(request(1, 1, pr, 0, MiB - 1, nx));
    EnqueueResult w = ns.enqueue(request(2, 1, pw, 0, MiB - 1, nx));
    ASSERT_EQ(w.status, EnqueueStatus::waiting);
    // Compatible with the granted PR but not with the waiting PW: waits.
    EnqueueResult r2 = ns.enqueue(request(3, 1, pr, 0, 4095, nx));
    EXPECT_EQ(r2.status, EnqueueStatus::waiting);
    EXPECT_TRUE(r2.actions.empty());  // r1 was already called back
    CancelResult c = ns.cancel(r1.handle);
    auto cp = of_kind(c.actions, ActionKind::completion_ast);
    ASSERT_EQ(cp.size(), 1u);
    EXPECT_EQ(cp[0].lock, w.handle);
    EXPECT_EQ(ns.lock_info(r2.handle)->state, LockState::waiting);
}

TEST(LockNamespaceTest, CompatibleWaitersBehindOneCancelAreAllGranted) {
    LockNamespace ns;
    EnqueueResult a = ns.enqueue(request(1, 1, ex, 0, MiB - 1, nx));
    ns.enqueue(request(2, 1, pr, 0, 4095, nx));
    ns.enqueue(request(3, 1, pr, 4096, 8191, nx));
    CancelResult c = ns.cancel(a.handle);
    EXPECT_EQ(of_kind(c.actions, ActionKind::completion_ast).size(), 2u);
    EXPECT_EQ(ns.counters().waiting, 0u);
}

TEST(LockNamespaceTest, CancellingAWaitingLockUnblocksThoseBehindIt) {
    LockNamespace ns;
    ns.enqueue(request(1, 1, pr, 0, MiB - 1, nx));
    EnqueueResult w = ns.enqueue(request(2, 1, pw, 0, MiB - 1, nx));
    EnqueueResult r = ns.enqueue(request(3, 1, pr, 0, 4095, nx));
    ASSERT_EQ(r.status, EnqueueStatus::waiting);
    CancelResult c = ns.cancel(w.handle);
    ASSERT_EQ(c.actions.size(), 1u);
    EXPECT_EQ(c.actions[0].kind, ActionKind::completion_ast);
    EXPECT_EQ(c.actions[0].lock, r.handle);
}

TEST(LockNamespaceTest, CancelOfAnUnknownHandleIsReported) {
    LockNamespace ns;
    EXPECT_EQ(ns.cancel(LockHandle{12345}).status, CancelStatus::not_found);
    EnqueueResult a = ns.enqueue(request(1, 1, pr, 0, 1));
    EXPECT_EQ(ns.cancel(a.handle).status, CancelStatus::cancelled);
    EXPECT_EQ(ns.cancel(a.handle).status, CancelStatus::not_found);
    EXPECT_EQ(ns.counters().cancels, 1u);
}

TEST(LockNamespaceTest, ResentEnqueueReturnsTheExistingLock) {
    LockNamespace ns;
    EnqueueResult first = ns.enqueue(request(1, 99, pw, MiB, 2 * MiB - 1));
    EnqueueResult again = ns.enqueue(request(1, 99, pw, MiB, 2 * MiB - 1));
    EXPECT_TRUE(again.resent);
    EXPECT_EQ(again.status, EnqueueStatus::granted);
    EXPECT_EQ(again.handle, first.handle);
    EXPECT_EQ(again.extent, first.extent);
    EXPECT_EQ(again.flags, flag::lock_changed);
    EXPECT_EQ(ns.lock_count(), 1u);
    EXPECT_EQ(ns.counters().resends, 1u);
    EXPECT_EQ(ns.counters().grants, 1u);
}

TEST(LockNamespaceTest, ResentEnqueueOfAWaitingLockSaysItStillWaits) {
    LockNamespace ns;
    ns.enqueue(request(1, 1, pw, 0, MiB - 1, nx));
    EnqueueResult w = ns.enqueue(request(2, 5, pw, 0, MiB - 1));
    EnqueueResult again = ns.enqueue(request(2, 5, pw, 0, MiB - 1));
    EXPECT_TRUE(again.resent);
    EXPECT_EQ(again.status, EnqueueStatus::waiting);
    EXPECT_EQ(again.handle, w.handle);
    EXPECT_TRUE(again.actions.empty());  // no second blocking AST
    EXPECT_EQ(ns.counters().blocking_asts, 1u);
}

TEST(LockNamespaceTest, SameClientHandleFromAnotherClientIsANewLock) {
    LockNamespace ns;
    EnqueueResult a = ns.enqueue(request(1, 5, pr, 0, 1));
    EnqueueResult b = ns.enqueue(request(2, 5, pr, 0, 1));
    EXPECT_FALSE(b.resent);
    EXPECT_NE(a.handle, b.handle);
}

TEST(LockNamespaceTest, ClientHandleReusedForAnotherLockIsRefused) {
    LockNamespace ns;
    ns.enqueue(request(1, 5, pr, 0, 1));
    EnqueueResult r = ns.enqueue(request(1, 5, pw, 0, 1));
    EXPECT_EQ(r.status, EnqueueStatus::refused);
    EXPECT_EQ(r.reason, RefusalReason::handle_in_use);
}

TEST(LockNamespaceTest, MalformedRequestsAreRefused) {
    LockNamespace ns;
    EnqueueRequest bad_mode = request(1, 1, pr, 0, 1);
    bad_mode.mode = static_cast<LockMode>(3);
    EXPECT_EQ(ns.enqueue(bad_mode).reason, RefusalReason::invalid_mode);
    EXPECT_EQ(ns.enqueue(request(1, 2, pr, 10, 9)).reason, RefusalReason::invalid_extent);
    EXPECT_EQ(ns.enqueue(request(1, 0, pr, 0, 9)).reason, RefusalReason::invalid_client_handle);
    EXPECT_EQ(ns.lock_count(), 0u);
    EXPECT_EQ(ns.counters().refusals, 3u);
}

TEST(LockNamespaceTest, NlIsCompatibleWithEverything) {
    LockNamespace ns;
    ns.enqueue(request(1, 1, ex, 0, extent_eof, nx));
    EXPECT_EQ(ns.enqueue(request(2, 1, nl, 0, 10)).status, EnqueueStatus::granted);
}

TEST(LockNamespaceTest, ResourcesAreIndependent) {
    LockNamespace ns;
    ns.enqueue(request(1, 1, ex, 0, extent_eof, 0, 0, object(1)));
    EnqueueResult r = ns.enqueue(request(2, 1, ex, 0, extent_eof, 0, 0, object(2)));
    EXPECT_EQ(r.status, EnqueueStatus::granted);
}

TEST(LockNamespaceTest, ResourceLocksListsGrantedThenWaiting) {
    LockNamespace ns;
    EnqueueResult a = ns.enqueue(request(1, 1, pw, 0, MiB - 1, nx));
    EnqueueResult b = ns.enqueue(request(2, 1, pw, 0, MiB - 1, nx));
    auto locks = ns.resource_locks(object(1));
    ASSERT_EQ(locks.size(), 2u);
    EXPECT_EQ(locks[0].handle, a.handle);
    EXPECT_EQ(locks[0].state, LockState::granted);
    EXPECT_EQ(locks[1].handle, b.handle);
    EXPECT_EQ(locks[1].state, LockState::waiting);
    EXPECT_EQ(locks[1].client, ClientId{2});
}

TEST(LockNamespaceTest, LvbGrowsWithWritesAndIsSetByTruncate) {
    LockNamespace ns;
    EXPECT_FALSE(ns.lvb(object(1)).has_value());
    ns.merge_lvb(object(1), Lvb{100, 5, 0, 0, 1});
    ns.merge_lvb(object(1), Lvb{50, 9, 0, 0, 0});
    EXPECT_EQ(ns.lvb(object(1)), (Lvb{100, 9, 0, 0, 1}));
    ns.set_lvb(object(1), Lvb{10, 9, 0, 0, 1});
    EXPECT_EQ(ns.lvb(object(1))->size, 10u);
}

TEST(LockNamespaceTest, CountersTrackEveryOutcome) {
    LockNamespace ns;
    EnqueueResult a = ns.enqueue(request(1, 1, pw, 0, MiB - 1));       // granted, expanded
    ns.enqueue(request(2, 1, pw, 0, 4095, flag::speculative));         // refused
    ns.enqueue(request(2, 2, pw, 0, 4095));                            // waits, 1 BL AST
    ns.cancel(a.handle);                                               // grants, 1 CP AST
    const Counters& c = ns.counters();
    EXPECT_EQ(c.enqueues, 3u);
    EXPECT_EQ(c.grants, 2u);
    EXPECT_EQ(c.waits, 1u);
    EXPECT_EQ(c.refusals, 1u);
    EXPECT_EQ(c.speculative_refusals, 1u);
    EXPECT_EQ(c.blocking_asts, 1u);
    EXPECT_EQ(c.completion_asts, 1u);
    EXPECT_EQ(c.cancels, 1u);
    EXPECT_EQ(c.expansions, 2u);
    EXPECT_EQ(c.granted_per_mode[mode_index(pw)], 1u);
    EXPECT_EQ(c.waiting, 0u);
}

}  // namespace
}  // namespace ostd::ldlm
