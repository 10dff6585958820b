// The lock budget: per-client and per-resource caps, refusals by reason,
// and the counts going back to 0 on cancel and eviction.
#include <gtest/gtest.h>

#include "tests/unit/ldlm/test_support.hpp"

namespace ostd::ldlm {
namespace {

using namespace test;
using enum LockMode;

LockNamespace capped(std::size_t per_client, std::size_t per_resource) {
    NamespaceConfig cfg;
    cfg.limits = LockLimits{per_client, per_resource};
    return LockNamespace(cfg);
}

// Disjoint lockahead extents of one 4 KiB block each: no conflicts.
EnqueueResult lockahead(LockNamespace& ns, std::uint64_t client, std::uint64_t n, ResourceName res = object(1)) {
    return ns.enqueue(request(client, n + 1, pw, n * 4 * KiB, (n + 1) * 4 * KiB - 1, spec | nx, 0, res));
}

TEST(LockBudgetTest, UnlimitedByDefault) {
    LockNamespace ns;
    EXPECT_EQ(ns.limits().max_per_client, unlimited_locks);
    for (std::uint64_t i = 0; i < 1000; ++i) ASSERT_EQ(lockahead(ns, 1, i).status, EnqueueStatus::granted);
    EXPECT_EQ(ns.counters().refusals, 0u);
}

TEST(LockBudgetTest, ClientCapRefusesBeyondItLeavingNoTrace) {
    LockNamespace ns = capped(3, 100);
    for (std::uint64_t i = 0; i < 3; ++i) ASSERT_EQ(lockahead(ns, 1, i).status, EnqueueStatus::granted);
    auto before = ns.resource_locks(object(1));

    EnqueueResult r = lockahead(ns, 1, 3);
    EXPECT_EQ(r.status, EnqueueStatus::refused);
    EXPECT_EQ(r.reason, RefusalReason::client_lock_limit);
    EXPECT_FALSE(r.handle);
    EXPECT_EQ(ns.resource_locks(object(1)), before);
    // An ordinary (non-speculative) request, and one on another object, too.
    EXPECT_EQ(ns.enqueue(request(1, 50, pr, 0, 9, 0, 0, object(2))).reason, RefusalReason::client_lock_limit);
    EXPECT_FALSE(ns.lvb(object(2)).has_value());  // no resource made for a refusal
    EXPECT_EQ(ns.counters().client_limit_refusals, 2u);
    EXPECT_EQ(ns.counters().refusals, 2u);
    EXPECT_EQ(ns.lock_count(), 3u);
    // Another client is not affected.
    EXPECT_EQ(lockahead(ns, 2, 10).status, EnqueueStatus::granted);
}

TEST(LockBudgetTest, AResendOfAHeldLockIsNotRefusedAtTheCap) {
    LockNamespace ns = capped(2, 100);
    lockahead(ns, 1, 0);
    lockahead(ns, 1, 1);
    EnqueueResult again = lockahead(ns, 1, 1);
    EXPECT_TRUE(again.resent);
    EXPECT_EQ(again.status, EnqueueStatus::granted);
}

TEST(LockBudgetTest, WaitingLocksCountToo) {
    LockNamespace ns = capped(2, 100);
    ns.enqueue(request(1, 1, pw, 0, 4 * KiB - 1, nx));
    EXPECT_EQ(ns.enqueue(request(2, 1, pw, 0, 4 * KiB - 1, nx)).status, EnqueueStatus::waiting);
    EXPECT_EQ(ns.enqueue(request(2, 2, pw, 8 * KiB, 12 * KiB - 1, nx)).status, EnqueueStatus::granted);
    EXPECT_EQ(ns.enqueue(request(2, 3, pw, 16 * KiB, 20 * KiB - 1, nx)).reason, RefusalReason::client_lock_limit);
}

TEST(LockBudgetTest, ResourceCapRefusesEveryClientOnThatResourceOnly) {
    LockNamespace ns = capped(100, 4);
    for (std::uint64_t client = 1; client <= 4; ++client) ASSERT_EQ(lockahead(ns, client, client).status, EnqueueStatus::granted);
    EnqueueResult r = lockahead(ns, 5, 5);
    EXPECT_EQ(r.reason, RefusalReason::resource_lock_limit);
    EXPECT_EQ(lockahead(ns, 1, 9).reason, RefusalReason::resource_lock_limit);
    EXPECT_EQ(ns.counters().resource_limit_refusals, 2u);
    EXPECT_EQ(lockahead(ns, 5, 5, object(2)).status, EnqueueStatus::granted);
    // A cancel makes room again.
    ns.cancel(ns.resource_locks(object(1)).front().handle);
    EXPECT_EQ(lockahead(ns, 5, 6).status, EnqueueStatus::granted);
}

TEST(LockBudgetTest, CountsPerClientAndResourceReturnToZeroOnCancelAndEviction) {
    LockNamespace ns = capped(10, 100);
    std::vector<LockHandle> mine;
    for (std::uint64_t i = 0; i < 25; ++i)  // 10 granted, 15 refused
        if (EnqueueResult r = lockahead(ns, 1, i); r.handle) mine.push_back(r.handle);
    for (std::uint64_t i = 0; i < 3; ++i) lockahead(ns, 2, 100 + i, object(2));
    ASSERT_EQ(mine.size(), 10u);
    EXPECT_EQ(ns.counters().client_limit_refusals, 15u);
    EXPECT_EQ(ns.client_lock_count(ClientId{1}), 10u);
    EXPECT_EQ(ns.client_lock_count(ClientId{2}), 3u);
    EXPECT_EQ(ns.client_lock_counts().size(), 2u);
    auto resources = ns.resource_lock_counts();
    ASSERT_EQ(resources.size(), 2u);
    for (const ResourceLockCount& r : resources)
        EXPECT_EQ(r.granted, r.resource == object(1) ? 10u : 3u);

    for (std::size_t i = 0; i < 4; ++i) ns.cancel(mine[i]);
    EXPECT_EQ(ns.client_lock_count(ClientId{1}), 6u);
    ns.cancel_all(ClientId{1});
    EXPECT_EQ(ns.client_lock_count(ClientId{1}), 0u);
    ns.cancel_all(ClientId{2});
    EXPECT_TRUE(ns.client_lock_counts().empty());
    EXPECT_TRUE(ns.resource_lock_counts().empty());
    EXPECT_EQ(ns.lock_count(), 0u);
    // After eviction the client has its whole budget again.
    for (std::uint64_t i = 0; i < 10; ++i) EXPECT_EQ(lockahead(ns, 1, 200 + i).status, EnqueueStatus::granted);
}

TEST(LockBudgetTest, AHundredThousandLockaheadExtentsStayWithinTheCap) {
    LockNamespace ns = capped(1000, 5000);
    std::uint64_t granted = 0;
    for (std::uint64_t i = 0; i < 100000; ++i) granted += lockahead(ns, 1, i).status == EnqueueStatus::granted;
    EXPECT_EQ(granted, 1000u);
    EXPECT_EQ(ns.lock_count(), 1000u);
    EXPECT_EQ(ns.counters().client_limit_refusals, 99000u);
    EXPECT_EQ(lockahead(ns, 2, 200000).status, EnqueueStatus::granted);
}

}  // namespace
}  // namespace ostd::ldlm
