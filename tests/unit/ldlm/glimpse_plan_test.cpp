#include <gtest/gtest.h>

#include "tests/unit/ldlm/test_support.hpp"

namespace ostd::ldlm {
namespace {

using namespace test;
using enum LockMode;

std::vector<std::uint64_t> clients_of(const GlimpsePlan& p) {
    std::vector<std::uint64_t> out;
    for (const GlimpseTarget& t : p.targets) out.push_back(t.client.value);
    return out;
}

TEST(GlimpsePlanTest, UnknownResourceIsAnsweredFromTheLvb) {
    LockNamespace ns;
    EXPECT_EQ(ns.plan_glimpse(object(5)).decision, GlimpseDecision::grant);
}

TEST(GlimpsePlanTest, OnlyReadersMeansThePrLockIsGrantable) {
    LockNamespace ns;
    ns.enqueue(request(1, 1, pr, 0, MiB - 1));
    ns.merge_lvb(object(1), Lvb{12345, 0, 0, 0, 0});
    GlimpsePlan p = ns.plan_glimpse(object(1));
    EXPECT_EQ(p.decision, GlimpseDecision::grant);
    EXPECT_EQ(p.lvb.size, 12345u);
    EXPECT_TRUE(p.targets.empty());
}

TEST(GlimpsePlanTest, AnOrdinaryWriterAloneIsTheOnlyTarget) {
    LockNamespace ns;
    EnqueueResult w = ns.enqueue(request(1, 42, pw, 0, MiB - 1));
    GlimpsePlan p = ns.plan_glimpse(object(1));
    EXPECT_EQ(p.decision, GlimpseDecision::glimpse);
    ASSERT_EQ(p.targets.size(), 1u);
    EXPECT_EQ(p.targets[0], (GlimpseTarget{ClientId{1}, w.handle, 42}));
}

TEST(GlimpsePlanTest, LocksEndingBelowTheKnownSizeAreSkipped) {
    LockNamespace ns;
    ns.enqueue(request(1, 1, pw, 0, MiB - 1, nx));
    ns.enqueue(request(2, 1, pw, 8 * MiB, 9 * MiB - 1, nx));
    ns.enqueue(request(3, 1, pw, 2 * MiB, 3 * MiB - 1));  // ordinary, expands up to 8 MiB
    ns.merge_lvb(object(1), Lvb{10 * MiB, 0, 0, 0, 0});
    GlimpsePlan p = ns.plan_glimpse(object(1));
    EXPECT_EQ(p.decision, GlimpseDecision::answer_lvb);
    EXPECT_TRUE(p.targets.empty());
    ns.set_lvb(object(1), Lvb{8 * MiB + 1, 0, 0, 0, 0});
    EXPECT_EQ(clients_of(ns.plan_glimpse(object(1))), (std::vector<std::uint64_t>{2}));
    ns.set_lvb(object(1), Lvb{MiB, 0, 0, 0, 0});
    EXPECT_EQ(clients_of(ns.plan_glimpse(object(1))), (std::vector<std::uint64_t>{2, 3}));
}

TEST(GlimpsePlanTest, AllWriteModesAreWalkedTogetherHighestFirst) {
    LockNamespace ns;
    ns.enqueue(request(1, 1, cw, 0, MiB - 1, nx));
    ns.enqueue(request(2, 1, ex, 4 * MiB, 5 * MiB - 1, nx));
    ns.enqueue(request(3, 1, pw, 2 * MiB, 3 * MiB - 1, nx));
    EXPECT_EQ(clients_of(ns.plan_glimpse(object(1))), (std::vector<std::uint64_t>{2, 3, 1}));
}

TEST(GlimpsePlanTest, MergeTakesTheMaximum) {
    Lvb server{100, 10, 1, 1, 4};
    std::vector<Lvb> answers{{300, 5, 0, 0, 2}, {200, 20, 0, 0, 9}};
    EXPECT_EQ(merge_glimpse(server, answers), (Lvb{300, 20, 1, 1, 9}));
    LockNamespace ns;
    ns.merge_lvb(object(1), server);
    EXPECT_EQ(ns.apply_glimpse_answers(object(1), answers).size, 300u);
    EXPECT_EQ(ns.lvb(object(1))->size, 300u);
}

TEST(GlimpsePlanTest, CountersCountPlansAndTargets) {
    LockNamespace ns;
    ns.enqueue(request(1, 1, pw, 0, MiB - 1, nx));
    ns.enqueue(request(2, 1, pw, MiB, 2 * MiB - 1, nx));
    ns.plan_glimpse(object(1));
    EXPECT_EQ(ns.counters().glimpse_plans, 1u);
    EXPECT_EQ(ns.counters().glimpse_asts, 2u);
}

}  // namespace
}  // namespace ostd::ldlm
