// LockNamespace (interval trees) against the list reference, over many random
// operation sequences: every answer, every action, every lock and every
// counter must agree.
#include <gtest/gtest.h>

#include <random>

#include "ldlm/reference/list_lock_manager.hpp"
#include "tests/unit/ldlm/test_support.hpp"

namespace ostd::ldlm {
namespace {

using namespace test;
using reference::ListLockManager;

constexpr std::uint64_t page = 4096;

struct Harness {
    explicit Harness(std::uint64_t seed, const NamespaceConfig& cfg)
        : rng(seed), tree(cfg), list(cfg) {}

    std::mt19937_64 rng;
    LockNamespace tree;
    ListLockManager list;
    std::vector<std::pair<ClientId, std::uint64_t>> issued;  // for resends
    std::vector<LockHandle> handles;
    std::uint64_t next_client_handle = 0;

    std::uint64_t pick(std::uint64_t n) { return rng() % n; }

    Extent random_extent() {
        // Small file so that conflicts are frequent; mostly page-aligned.
        std::uint64_t start = pick(64) * page;
        std::uint64_t end = start + (1 + pick(8)) * page - 1;
        if (pick(10) == 0) end = extent_eof;
        if (pick(6) == 0) start += pick(page);
        if (pick(12) == 0) end = start + pick(3 * page);
        return {start, end};
    }

    EnqueueRequest random_request() {
        static constexpr LockMode modes[] = {LockMode::pw, LockMode::pw, LockMode::pr, LockMode::pr,
                                             LockMode::ex, LockMode::cw, LockMode::cr, LockMode::nl,
                                             LockMode::group};
        if (!issued.empty() && pick(20) == 0) {
            // A resend (or a reuse of a client handle for something else).
            auto [client, ch] = issued[pick(issued.size())];
            EnqueueRequest r = request(client.value, ch, LockMode::pw, 0, page - 1);
            r.resource = object(1 + pick(2));
            return r;
        }
        Extent e = random_extent();
        LockFlags flags = 0;
        if (pick(4) == 0) flags |= flag::no_expansion;
        if (pick(5) == 0) flags |= flag::speculative;
        if (pick(8) == 0) flags |= flag::block_nowait;
        EnqueueRequest r = request(1 + pick(4), ++next_client_handle, modes[pick(9)], e.start,
                                   e.end, flags, 1 + pick(2), object(1 + pick(2)));
        issued.emplace_back(r.client, r.client_handle);
        return r;
    }
};

void expect_same(const EnqueueResult& a, const EnqueueResult& b) {
    ASSERT_EQ(a.status, b.status);
    ASSERT_EQ(a.reason, b.reason);
    ASSERT_EQ(a.handle, b.handle);
    ASSERT_EQ(a.extent, b.extent);
    ASSERT_EQ(a.flags, b.flags);
    ASSERT_EQ(a.resent, b.resent);
    std::vector<Action> x = a.actions, y = b.actions;
    sort_actions(x);
    sort_actions(y);
    ASSERT_EQ(x, y);
}

void expect_same(const CancelResult& a, const CancelResult& b) {
    ASSERT_EQ(a.status, b.status);
    ASSERT_EQ(a.cancelled, b.cancelled);
    // Completion ASTs of one resource come in queue order in both.
    std::vector<Action> x = a.actions, y = b.actions;
    sort_actions(x);
    sort_actions(y);
    ASSERT_EQ(x, y);
}

void run_sequence(std::uint64_t seed, int steps) {
    NamespaceConfig cfg;
    cfg.cookie_seed = seed;
    std::mt19937_64 cfg_rng(seed * 31 + 1);
    // Small thresholds so the cap and the waiter limit are exercised.
    cfg.expansion.enabled = cfg_rng() % 8 != 0;
    cfg.expansion.waiter_limit = 1 + cfg_rng() % 4;
    cfg.expansion.contention_locks = 1 + cfg_rng() % 6;
    cfg.expansion.contention_extent = (4 + cfg_rng() % 16) * page;
    Harness h(seed, cfg);

    for (int step = 0; step < steps; ++step) {
        SCOPED_TRACE(testing::Message() << "seed " << seed << " step " << step);
        std::uint64_t op = h.pick(100);
        if (op < 55) {
            EnqueueRequest r = h.random_request();
            EnqueueResult a = h.tree.enqueue(r);
            EnqueueResult b = h.list.enqueue(r);
            ASSERT_NO_FATAL_FAILURE(expect_same(a, b));
            if (a.handle) h.handles.push_back(a.handle);
        } else if (op < 85 && !h.handles.empty()) {
            LockHandle victim = h.handles[h.pick(h.handles.size())];
            ASSERT_NO_FATAL_FAILURE(expect_same(h.tree.cancel(victim), h.list.cancel(victim)));
        } else if (op < 88) {
            ClientId c{1 + h.pick(4)};
            ASSERT_NO_FATAL_FAILURE(expect_same(h.tree.cancel_all(c), h.list.cancel_all(c)));
        } else if (op < 94) {
            ResourceName res = object(1 + h.pick(2));
            Lvb lvb{h.pick(80) * page, h.pick(100), 0, 0, h.pick(10)};
            h.tree.merge_lvb(res, lvb);
            h.list.merge_lvb(res, lvb);
        } else {
            ResourceName res = object(1 + h.pick(2));
            ASSERT_EQ(h.tree.plan_glimpse(res), h.list.plan_glimpse(res));
        }
        for (std::uint64_t r = 1; r <= 2; ++r)
            ASSERT_EQ(h.tree.resource_locks(object(r)), h.list.resource_locks(object(r)));
        ASSERT_EQ(h.tree.counters(), h.list.counters());
    }
}

TEST(RandomizedReferenceTest, IntervalTreeManagerMatchesTheListReference) {
    for (std::uint64_t seed = 1; seed <= 400; ++seed) {
        ASSERT_NO_FATAL_FAILURE(run_sequence(seed, 300));
    }
}

// The comparison must be able to fail: a reference with another expansion
// rule is told apart.
TEST(RandomizedReferenceTest, ComparisonDetectsADifferentRule) {
    NamespaceConfig on;
    NamespaceConfig off;
    off.expansion.enabled = false;
    LockNamespace tree(on);
    ListLockManager list(off);
    EnqueueRequest r = request(1, 1, LockMode::pw, 0, page - 1);
    EXPECT_NE(tree.enqueue(r).extent, list.enqueue(r).extent);
}

}  // namespace
}  // namespace ostd::ldlm
