#include <gtest/gtest.h>

#include <random>

#include "ldlm/extent_policy.hpp"
#include "tests/unit/ldlm/test_support.hpp"

namespace ostd::ldlm {
namespace {

using namespace test;
using enum LockMode;

const ExpansionConfig defaults;

TEST(ExtentPolicyTest, AlignmentRoundsTheWindowInToTheRequestsOwnAlignment) {
    // A 1 MiB-aligned request: the grant keeps 1 MiB boundaries.
    Extent req = bytes(4 * MiB, MiB);
    Extent got = align_to_request({3 * MiB + 5, 9 * MiB + 7}, req, 4096);
    EXPECT_EQ(got, (Extent{4 * MiB, 9 * MiB - 1}));
}

TEST(ExtentPolicyTest, AlignmentLeavesWholeFileAndEofWindowsAlone) {
    Extent req = bytes(4 * MiB, MiB);
    EXPECT_EQ(align_to_request(Extent::whole_file(), req, 4096), Extent::whole_file());
    EXPECT_EQ(align_to_request(Extent::whole_file(), Extent::whole_file(), 4096), Extent::whole_file());
}

TEST(ExtentPolicyTest, UnalignedRequestSkipsAlignment) {
    Extent req{100, 4195};
    Extent window{7, 100000};
    EXPECT_EQ(align_to_request(window, req, 4096), window);
}

TEST(ExtentPolicyTest, AlignmentNeverReturnsLessThanAsked) {
    std::mt19937_64 rng(7);
    for (int i = 0; i < 100000; ++i) {
        std::uint64_t unit = std::uint64_t{4096} << (rng() % 12);
        std::uint64_t start = (rng() % 1024) * unit;
        std::uint64_t end = start + (1 + rng() % 64) * unit - 1;
        if (rng() % 8 == 0) end = extent_eof;
        if (rng() % 4 == 0) start += rng() % 4096;  // sometimes unaligned
        Extent req{start, end};
        Extent window{start - std::min<std::uint64_t>(start, rng() % (64 * MiB)),
                      end == extent_eof ? end : end + rng() % (64 * MiB)};
        Extent got = align_to_request(window, req, 4096);
        ASSERT_TRUE(got.contains(req)) << req.start << "-" << req.end;
        ASSERT_TRUE(window.contains(got));
    }
}

TEST(ExtentPolicyTest, GrantedConflictsKeepTheStartAndStopBeforeTheNextLock) {
    ExpansionWindow w;
    limit_by_granted(w, {100, 199}, 2, 500);
    EXPECT_EQ(w.start, 100u);
    EXPECT_EQ(w.end, 499u);
    EXPECT_EQ(w.granted_conflicts, 2u);
}

TEST(ExtentPolicyTest, NoGrantedConflictsLeaveTheWindowWhole) {
    ExpansionWindow w;
    limit_by_granted(w, {100, 199}, 0, std::nullopt);
    EXPECT_EQ(w.start, 0u);
    EXPECT_EQ(w.end, extent_eof);
}

TEST(ExtentPolicyTest, WaitersStopGrowthOnEachSideAndOverlappingOnesAreIgnored) {
    ExpansionWindow w;
    limit_by_waiter(w, {100, 199}, {10, 19}, defaults);
    limit_by_waiter(w, {100, 199}, {150, 300}, defaults);  // overlaps: ignored
    limit_by_waiter(w, {100, 199}, {400, 500}, defaults);
    EXPECT_EQ(w.start, 20u);
    EXPECT_EQ(w.end, 399u);
    EXPECT_EQ(w.waiter_conflicts, 3u);
}

TEST(ExtentPolicyTest, MoreThanFourConflictingWaitersKeepTheRequestedStart) {
    ExpansionWindow w;
    for (int i = 0; i < 4; ++i) limit_by_waiter(w, {100, 199}, {300, 310}, defaults);
    EXPECT_EQ(w.start, 0u);
    limit_by_waiter(w, {100, 199}, {300, 310}, defaults);
    EXPECT_EQ(w.start, 100u);
}

TEST(ExtentPolicyTest, ContentionCapAppliesOnlyToPwAndCwBeyond32Conflicts) {
    Extent req = bytes(64 * MiB, MiB);
    ExpansionWindow w;
    w.start = req.start;
    w.granted_conflicts = 33;
    EXPECT_EQ(finish_expansion(w, req, pw, defaults), bytes(64 * MiB, 32 * MiB));
    EXPECT_EQ(finish_expansion(w, req, cw, defaults), bytes(64 * MiB, 32 * MiB));
    EXPECT_EQ(finish_expansion(w, req, pr, defaults).end, extent_eof);
    EXPECT_EQ(finish_expansion(w, req, ex, defaults).end, extent_eof);
    w.granted_conflicts = 32;
    EXPECT_EQ(finish_expansion(w, req, pw, defaults).end, extent_eof);
}

TEST(ExtentPolicyTest, ContentionCapSkipsRequestsOf32MiBOrMore) {
    Extent req = bytes(0, 32 * MiB);
    ExpansionWindow w;
    w.granted_conflicts = 40;
    EXPECT_EQ(finish_expansion(w, req, pw, defaults).end, extent_eof);
}

TEST(ExtentPolicyTest, ContentionCapCountsWaitersToo) {
    Extent req = bytes(64 * MiB, MiB);
    ExpansionWindow w;
    w.start = req.start;
    w.granted_conflicts = 30;
    w.waiter_conflicts = 3;
    EXPECT_EQ(finish_expansion(w, req, pw, defaults).end, 96 * MiB - 1);
}

TEST(ExtentPolicyTest, ThresholdsAreConfigurable) {
    ExpansionConfig cfg;
    cfg.contention_locks = 2;
    cfg.contention_extent = 4 * MiB;
    Extent req = bytes(8 * MiB, MiB);
    ExpansionWindow w;
    w.start = req.start;
    w.granted_conflicts = 3;
    EXPECT_EQ(finish_expansion(w, req, pw, cfg), bytes(8 * MiB, 4 * MiB));
}

// Through the namespace: the expansion a real grant gets.
TEST(ExtentPolicyTest, LoneLockGrowsToTheWholeFile) {
    LockNamespace ns;
    EnqueueResult r = ns.enqueue(request(1, 1, pw, MiB, 2 * MiB - 1));
    EXPECT_EQ(r.status, EnqueueStatus::granted);
    EXPECT_EQ(r.extent, Extent::whole_file());
    EXPECT_EQ(r.flags, flag::lock_changed);
    EXPECT_EQ(ns.counters().expansions, 1u);
}

TEST(ExtentPolicyTest, GrantStopsJustBeforeTheNextIncompatibleLockAndKeepsItsStart) {
    LockNamespace ns;
    ns.enqueue(request(1, 1, pw, 0, MiB - 1, flag::no_expansion));
    ns.enqueue(request(1, 2, pw, 8 * MiB, 9 * MiB - 1, flag::no_expansion));
    ns.enqueue(request(1, 3, pr, 20 * MiB, 21 * MiB - 1, flag::no_expansion));  // compatible with PR
    EnqueueResult r = ns.enqueue(request(2, 1, pr, 2 * MiB, 3 * MiB - 1));
    EXPECT_EQ(r.extent, (Extent{2 * MiB, 8 * MiB - 1}));
}

TEST(ExtentPolicyTest, CompatibleLocksDoNotLimitGrowth) {
    LockNamespace ns;
    ns.enqueue(request(1, 1, pr, 0, MiB - 1, flag::no_expansion));
    EnqueueResult r = ns.enqueue(request(2, 1, pr, 2 * MiB, 3 * MiB - 1));
    EXPECT_EQ(r.extent, Extent::whole_file());
}

TEST(ExtentPolicyTest, NoExpansionGrantsExactlyTheRequest) {
    LockNamespace ns;
    EnqueueResult r = ns.enqueue(request(1, 1, pw, MiB, 2 * MiB - 1, flag::no_expansion));
    EXPECT_EQ(r.extent, bytes(MiB, MiB));
    EXPECT_EQ(r.flags, 0u);
    EXPECT_EQ(ns.counters().expansions, 0u);
}

TEST(ExtentPolicyTest, ExpansionCanBeSwitchedOff) {
    NamespaceConfig cfg;
    cfg.expansion.enabled = false;
    LockNamespace ns(cfg);
    EXPECT_EQ(ns.enqueue(request(1, 1, pw, MiB, 2 * MiB - 1)).extent, bytes(MiB, MiB));
    ExpansionConfig on;
    ns.set_expansion(on);
    // A lock exists below: the start stays, the end grows.
    EXPECT_EQ(ns.enqueue(request(1, 2, pw, 4 * MiB, 5 * MiB - 1)).extent, (Extent{4 * MiB, extent_eof}));
}

TEST(ExtentPolicyTest, RequestFacing33ConflictingPwLocksIsCappedAt32MiB) {
    LockNamespace ns;
    for (std::uint64_t i = 0; i < 33; ++i)
        ns.enqueue(request(10 + i, 1, pw, i * MiB, (i + 1) * MiB - 1, flag::no_expansion));
    EnqueueResult r = ns.enqueue(request(1, 1, pw, 64 * MiB, 65 * MiB - 1));
    EXPECT_EQ(r.status, EnqueueStatus::granted);
    EXPECT_EQ(r.extent, bytes(64 * MiB, 32 * MiB));
}

TEST(ExtentPolicyTest, RequestFacing32ConflictingPwLocksIsNotCapped) {
    LockNamespace ns;
    for (std::uint64_t i = 0; i < 32; ++i)
        ns.enqueue(request(10 + i, 1, pw, i * MiB, (i + 1) * MiB - 1, flag::no_expansion));
    EnqueueResult r = ns.enqueue(request(1, 1, pw, 64 * MiB, 65 * MiB - 1));
    EXPECT_EQ(r.extent, (Extent{64 * MiB, extent_eof}));
}

TEST(ExtentPolicyTest, UnalignedRequestIsGrantedItsUnalignedWindow) {
    LockNamespace ns;
    ns.enqueue(request(1, 1, pw, 0, 99, flag::no_expansion));
    ns.enqueue(request(1, 2, pw, 10000, 10099, flag::no_expansion));
    EnqueueResult r = ns.enqueue(request(2, 1, pw, 5000, 5010));
    EXPECT_EQ(r.extent, (Extent{5000, 9999}));
}

TEST(ExtentPolicyTest, AlignedRequestIsGrantedAnAlignedWindow) {
    LockNamespace ns;
    ns.enqueue(request(1, 1, pw, 0, 99, flag::no_expansion));
    ns.enqueue(request(1, 2, pw, 10 * MiB + 5, 11 * MiB, flag::no_expansion));
    // 64 KiB-aligned request: the end is pulled back to a 64 KiB boundary.
    EnqueueResult r = ns.enqueue(request(2, 1, pw, 128 * KiB, 192 * KiB - 1));
    EXPECT_EQ(r.extent, (Extent{128 * KiB, 10 * MiB - 1}));
}

TEST(ExtentPolicyTest, WaitingLocksLimitAGrantsGrowth) {
    LockNamespace ns;
    ns.enqueue(request(1, 1, pw, 4 * MiB, 5 * MiB - 1, flag::no_expansion));
    ASSERT_EQ(ns.enqueue(request(2, 1, pw, 3 * MiB, 5 * MiB - 1)).status, EnqueueStatus::waiting);
    // PR [1, 2) MiB from client 3: the granted PW keeps the start and would
    // allow up to 4 MiB; the waiting PW (incompatible) stops it at 3 MiB.
    EnqueueResult r = ns.enqueue(request(3, 1, pr, MiB, 2 * MiB - 1));
    EXPECT_EQ(r.extent, (Extent{MiB, 3 * MiB - 1}));
}

// A PR waiter on [10, 21) MiB behind an EX on [20, 21) MiB: it limits a new
// PR of its own client, not one of another client.
TEST(ExtentPolicyTest, CompatibleWaiterLimitsOnlyItsOwnClient) {
    LockNamespace ns;
    ns.enqueue(request(1, 1, ex, 20 * MiB, 21 * MiB - 1, flag::no_expansion));
    ASSERT_EQ(ns.enqueue(request(2, 1, pr, 10 * MiB, 21 * MiB - 1)).status, EnqueueStatus::waiting);
    EXPECT_EQ(ns.enqueue(request(2, 2, pr, 0, MiB - 1)).extent, (Extent{0, 10 * MiB - 1}));
    EXPECT_EQ(ns.enqueue(request(3, 1, pr, 0, MiB - 1)).extent, (Extent{0, 20 * MiB - 1}));
}

}  // namespace
}  // namespace ostd::ldlm
