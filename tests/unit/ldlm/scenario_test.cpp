// The scenarios of issue 3, end to end through LockNamespace, with the
// clients simulated the way an OSC behaves: reuse a cached granted lock that
// covers the write, otherwise enqueue; cancel a lock when called back.
#include <gtest/gtest.h>

#include <map>

#include "tests/unit/ldlm/test_support.hpp"

namespace ostd::ldlm {
namespace {

using namespace test;
using enum LockMode;

class StridedWriters {
public:
    explicit StridedWriters(LockNamespace& ns) : _ns(ns) {}

    // Client `c` writes [offset, offset + len); returns false if it could not.
    bool write(std::uint64_t c, std::uint64_t offset, std::uint64_t len, LockFlags flags) {
        Extent want = bytes(offset, len);
        if (holds(c, want)) return true;
        EnqueueResult r = _ns.enqueue(request(c, ++_next_handle, pw, want.start, want.end, flags));
        deliver(r.actions);
        return _ns.lock_info(r.handle).has_value() &&
               _ns.lock_info(r.handle)->state == LockState::granted;
    }

    // Lock ahead: speculative, no-expansion requests; refusals are silent.
    void lock_ahead(std::uint64_t c, Extent e) {
        EnqueueResult r = _ns.enqueue(request(c, ++_next_handle, pw, e.start, e.end,
                                              flag::speculative | nx));
        EXPECT_TRUE(r.actions.empty());
    }

private:
    bool holds(std::uint64_t c, Extent e) const {
        for (const LockInfo& l : _ns.resource_locks(object(1)))
            if (l.client.value == c && l.state == LockState::granted && l.extent.contains(e))
                return true;
        return false;
    }

    // Called-back clients cancel at once (no dirty data to flush here).
    void deliver(std::vector<Action> actions) {
        while (!actions.empty()) {
            Action a = actions.front();
            actions.erase(actions.begin());
            if (a.kind != ActionKind::blocking_ast) continue;
            CancelResult c = _ns.cancel(a.lock);
            actions.insert(actions.end(), c.actions.begin(), c.actions.end());
        }
    }

    LockNamespace& _ns;
    std::uint64_t _next_handle = 0;
};

TEST(ScenarioTest, AlternateBlocksWithExpansionPingPongEveryWrite) {
    LockNamespace ns;
    StridedWriters clients(ns);
    constexpr int writes = 64;
    for (int i = 0; i < writes; ++i) {
        std::uint64_t before = ns.counters().blocking_asts;
        ASSERT_TRUE(clients.write(1 + i % 2, i * MiB, MiB, 0));
        if (i > 0) {
            EXPECT_EQ(ns.counters().blocking_asts, before + 1) << "write " << i;
        }
    }
    EXPECT_EQ(ns.counters().blocking_asts, writes - 1u);
}

TEST(ScenarioTest, AlternateBlocksWithLockaheadNeedNoBlockingAst) {
    LockNamespace ns;
    StridedWriters clients(ns);
    constexpr int writes = 64;
    for (int i = 0; i < writes; ++i) clients.lock_ahead(1 + i % 2, bytes(i * MiB, MiB));
    EXPECT_EQ(ns.counters().grants, static_cast<std::uint64_t>(writes));
    for (int i = 0; i < writes; ++i) ASSERT_TRUE(clients.write(1 + i % 2, i * MiB, MiB, nx));
    EXPECT_EQ(ns.counters().blocking_asts, 0u);
    EXPECT_EQ(ns.counters().enqueues, static_cast<std::uint64_t>(writes));  // only the lockahead
}

TEST(ScenarioTest, AlternateBlocksWithNoExpandWritesNeedNoBlockingAst) {
    LockNamespace ns;
    StridedWriters clients(ns);
    for (int i = 0; i < 64; ++i) ASSERT_TRUE(clients.write(1 + i % 2, i * MiB, MiB, nx));
    EXPECT_EQ(ns.counters().blocking_asts, 0u);
}

TEST(ScenarioTest, SpeculativeOverIncompatibleIsRefusedAndOverCompatibleGrantedUnexpanded) {
    LockNamespace ns;
    EnqueueResult held = ns.enqueue(request(1, 1, pw, 0, 4 * MiB - 1, nx));
    auto snapshot = ns.resource_locks(object(1));
    Counters counters = ns.counters();

    EnqueueResult refused = ns.enqueue(request(2, 1, pw, MiB, 2 * MiB - 1, flag::speculative));
    EXPECT_EQ(refused.status, EnqueueStatus::refused);
    EXPECT_EQ(ns.resource_locks(object(1)), snapshot);
    EXPECT_EQ(ns.counters().blocking_asts, counters.blocking_asts);
    EXPECT_EQ(ns.counters().grants, counters.grants);

    EnqueueResult ok = ns.enqueue(request(2, 2, cr, MiB, 2 * MiB - 1, flag::speculative));
    EXPECT_EQ(ok.status, EnqueueStatus::granted);
    EXPECT_EQ(ok.extent, bytes(MiB, MiB));
    EXPECT_EQ(ns.lock_info(held.handle)->flags & flag::ast_sent, 0u);
}

TEST(ScenarioTest, ThirtyThirdConflictingPwLockIsCappedAndAlignmentKeepsTheRequest) {
    LockNamespace ns;
    // 33 clients each hold 1 MiB; the next writer conflicts with all 33.
    for (std::uint64_t i = 0; i < 33; ++i)
        ns.enqueue(request(100 + i, 1, pw, i * MiB, (i + 1) * MiB - 1, nx));
    EnqueueResult r = ns.enqueue(request(1, 1, pw, 40 * MiB, 41 * MiB - 1));
    EXPECT_EQ(r.extent, bytes(40 * MiB, 32 * MiB));
    // An odd-sized, 4 KiB-aligned request is never shrunk by alignment.
    EnqueueResult s = ns.enqueue(request(2, 1, pw, 100 * MiB + 4096, 100 * MiB + 3 * 4096 - 1));
    EXPECT_TRUE(s.extent.contains(bytes(100 * MiB + 4096, 2 * 4096)));
    EXPECT_EQ(s.extent.start, 100 * MiB + 4096);
    EXPECT_EQ((s.extent.end + 1) % 4096, 0u);
}

TEST(ScenarioTest, GlimpseNamesEachLockaheadClientOnceAndStopsAtTheOrdinaryLock) {
    LockNamespace ns;
    // Client 5, lowest, holds lockahead too: it must not be asked.
    ns.enqueue(request(5, 1, pw, 0, MiB - 1, flag::speculative));
    // Clients 1..3 hold lockahead locks on [10, 16) MiB, twice each.
    std::uint64_t h = 10;
    for (std::uint64_t i = 0; i < 6; ++i)
        ASSERT_EQ(ns.enqueue(request(1 + i % 3, ++h, pw, (10 + i) * MiB, (11 + i) * MiB - 1,
                                     flag::speculative | nx))
                      .status,
                  EnqueueStatus::granted);
    // Client 4 writes with an ordinary lock below them: expanded to [2, 10) MiB.
    EnqueueResult ordinary = ns.enqueue(request(4, 1, pw, 2 * MiB, 3 * MiB - 1));
    ASSERT_EQ(ordinary.extent, (Extent{2 * MiB, 10 * MiB - 1}));

    GlimpsePlan p = ns.plan_glimpse(object(1));
    ASSERT_EQ(p.decision, GlimpseDecision::glimpse);
    std::vector<std::uint64_t> clients;
    for (const GlimpseTarget& t : p.targets) clients.push_back(t.client.value);
    // Highest first: [15,16) is client 3, then 2, then 1; then client 4, stop.
    EXPECT_EQ(clients, (std::vector<std::uint64_t>{3, 2, 1, 4}));
    EXPECT_EQ(p.targets.back().lock, ordinary.handle);

    std::vector<Lvb> answers{{12 * MiB, 0, 0, 0, 0}, {14 * MiB, 0, 0, 0, 0}, {0, 0, 0, 0, 0},
                             {9 * MiB, 0, 0, 0, 0}};
    EXPECT_EQ(ns.apply_glimpse_answers(object(1), answers).size, 14 * MiB);
}

TEST(ScenarioTest, EvictionReleasesTheClientsLocksAndGrantsTheWaitersBehindThem) {
    LockNamespace ns;
    EnqueueResult a1 = ns.enqueue(request(1, 1, pw, 0, MiB - 1, nx));
    EnqueueResult a2 = ns.enqueue(request(1, 2, pw, 4 * MiB, 5 * MiB - 1, nx));
    EnqueueResult a3 = ns.enqueue(request(1, 3, pr, 0, MiB - 1, nx, 0, object(2)));
    EnqueueResult other = ns.enqueue(request(3, 1, pr, 8 * MiB, 9 * MiB - 1, nx));
    EnqueueResult b = ns.enqueue(request(2, 1, pw, 0, MiB - 1, nx));
    EnqueueResult c = ns.enqueue(request(3, 2, pw, 4 * MiB, 5 * MiB - 1, nx));
    EnqueueResult d = ns.enqueue(request(2, 2, ex, 0, MiB - 1, nx, 0, object(2)));
    // Client 1 also waits for something itself: that goes too.
    EnqueueResult a4 = ns.enqueue(request(1, 4, pw, 8 * MiB, 9 * MiB - 1, nx));
    ASSERT_EQ(b.status, EnqueueStatus::waiting);
    ASSERT_EQ(c.status, EnqueueStatus::waiting);
    ASSERT_EQ(d.status, EnqueueStatus::waiting);
    ASSERT_EQ(a4.status, EnqueueStatus::waiting);

    CancelResult r = ns.cancel_all(ClientId{1});
    EXPECT_EQ(r.cancelled, 4u);
    auto granted = of_kind(r.actions, ActionKind::completion_ast);
    sort_actions(granted);
    std::vector<LockHandle> expect{b.handle, c.handle, d.handle};
    std::sort(expect.begin(), expect.end());
    ASSERT_EQ(granted.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(granted[i].lock, expect[i]);
    EXPECT_TRUE(of_kind(r.actions, ActionKind::blocking_ast).empty());
    for (LockHandle h : {a1.handle, a2.handle, a3.handle, a4.handle}) EXPECT_FALSE(ns.lock_info(h));
    EXPECT_EQ(ns.lock_info(other.handle)->state, LockState::granted);
    EXPECT_EQ(ns.counters().evictions, 1u);
    EXPECT_EQ(ns.counters().waiting, 0u);
    EXPECT_EQ(ns.cancel_all(ClientId{1}).cancelled, 0u);
}

}  // namespace
}  // namespace ostd::ldlm
