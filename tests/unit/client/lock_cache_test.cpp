// The client's lock cache against the in-test LDLM: held locks reused,
// NO_EXPANSION on a no-expand file's enqueues, a lost enqueue resent,
// BLOCK_GRANTED waits for the completion AST.
#include "client/lock_cache.hpp"

#include <gtest/gtest.h>

#include "tests/unit/client/ost_harness.hpp"

using namespace ostd;
using namespace ostd::client;
using namespace ostd::client::testing;
using namespace std::chrono_literals;

TEST(LockCache, SecondWriteUnderTheHeldLockSendsNoEnqueue)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 1});
    ASSERT_TRUE(client->write(file, 0, pattern(4096, 1)));
    ASSERT_TRUE(client->write(file, 1 << 20, pattern(4096, 2)));
    std::vector<std::byte> back(4096);
    ASSERT_TRUE(client->read(file, 0, back));  // PW covers PR
    EXPECT_EQ(h.ost.count("enqueue"), 1u);
    EXPECT_EQ(client->locks().counters().matches.get(), 2u);
    auto held = client->locks().snapshot();
    ASSERT_EQ(held.size(), 1u);
    EXPECT_EQ(held[0].extent, (Extent{0, object_eof}));  // expanded by the server
    EXPECT_EQ(held[0].mode, ptlrpc::lock_mode::pw);
    EXPECT_EQ(held[0].state, LockState::granted);
}

TEST(LockCache, NoExpandFileSetsTheFlagAndGetsExactExtents)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 2}, {.no_expand = true});
    ASSERT_TRUE(client->write(file, 8192, pattern(4096, 1)));
    ASSERT_TRUE(client->write(file, 65536, pattern(4096, 2)));  // not covered: a second enqueue
    OpenObject plain = client->open({.id = 5});
    ASSERT_TRUE(client->write(plain, 0, pattern(10, 3)));
    auto log = h.ost.log();
    std::vector<LogEntry> enqueues;
    for (const auto& e : log)
        if (e.what == "enqueue")
            enqueues.push_back(e);
    ASSERT_EQ(enqueues.size(), 3u);
    EXPECT_EQ(enqueues[0].a & ptlrpc::ldlm_flag::no_expansion, ptlrpc::ldlm_flag::no_expansion);
    EXPECT_EQ(enqueues[1].a & ptlrpc::ldlm_flag::no_expansion, ptlrpc::ldlm_flag::no_expansion);
    EXPECT_EQ(enqueues[2].a & ptlrpc::ldlm_flag::no_expansion, 0u);
    ClientLock* first = client->locks().match({.id = 2}, ptlrpc::lock_mode::pw, {8192, 12287});
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(first->extent, (Extent{8192, 12287}));
}

TEST(LockCache, LostEnqueueIsResentWithTheSameCookie)
{
    OstHarness h;
    h.ost.drop_enqueues = 1;
    auto client = h.client(100ms);
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 3});
    ASSERT_TRUE(client->write(file, 0, pattern(100, 1)));
    auto log = h.ost.log();
    ASSERT_GE(log.size(), 2u);
    EXPECT_EQ(log[0].what, "enqueue_dropped");
    EXPECT_EQ(log[1].what, "enqueue");
    EXPECT_EQ(log[0].b, log[1].b);  // same client cookie
    EXPECT_EQ(log[1].c & ptlrpc::msg_resent, ptlrpc::msg_resent);
    EXPECT_EQ(h.ost.locks().size(), 1u);
    EXPECT_EQ(client->locks().snapshot().size(), 1u);
    EXPECT_EQ(client->rpc().counters().resends.get(), 1u);
}

TEST(LockCache, ConflictingEnqueueWaitsForTheCompletionAst)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 6});
    auto glimpse = client->stat(file);  // a granted PR lock on [0, EOF]
    ASSERT_TRUE(glimpse);
    EXPECT_TRUE(glimpse->lock_granted);
    // Our own PR lock conflicts with the PW we need: the server calls it
    // back, we cancel it while waiting, and the PW is granted by CP AST.
    ASSERT_TRUE(client->write(file, 0, pattern(100, 1)));
    EXPECT_EQ(h.ost.count("wait"), 1u);
    EXPECT_EQ(h.ost.count("bl_ast"), 1u);
    EXPECT_EQ(h.ost.count("cancel"), 1u);
    EXPECT_EQ(h.ost.count("cp_ast"), 1u);
    auto held = client->locks().snapshot();
    ASSERT_EQ(held.size(), 1u);
    EXPECT_EQ(held[0].mode, ptlrpc::lock_mode::pw);
    EXPECT_EQ(held[0].state, LockState::granted);
    EXPECT_EQ(client->locks().counters().completion_asts.get(), 1u);
}

TEST(LockCache, ModeCoverage)
{
    namespace m = ptlrpc::lock_mode;
    EXPECT_TRUE(mode_covers(m::pw, m::pr));
    EXPECT_TRUE(mode_covers(m::ex, m::pw));
    EXPECT_FALSE(mode_covers(m::pr, m::pw));
    EXPECT_TRUE(mode_covers(m::pr, m::pr));
}

// The LRU (lru_size): unused locks in the order they became unused; beyond
// the cap the oldest are flushed and cancelled on the server.
namespace {

namespace lmode = ptlrpc::lock_mode;

Extent block(uint64_t n) { return {n * 4096, n * 4096 + 4095}; }

// Takes and releases a no-expand lock on block n of object 9; its cookie.
uint64_t take_and_release(OstClient& client, uint64_t n, uint32_t mode = lmode::pr)
{
    auto lock = client.locks().acquire({.id = 9}, mode, block(n), ptlrpc::ldlm_flag::no_expansion);
    EXPECT_TRUE(lock);
    if (!lock)
        return 0;
    uint64_t cookie = (*lock)->cookie;
    client.locks().release(**lock);
    return cookie;
}

std::vector<uint64_t> cancelled_cookies(const MiniOst& ost)
{
    std::vector<uint64_t> out;
    for (const auto& e : ost.log())
        if (e.what == "cancel")
            out.push_back(e.a);
    return out;
}

}  // namespace

TEST(LockCacheLru, KeepsUnusedLocksInOrderAndCancelsTheOldestBeyondTheCap)
{
    OstHarness h;
    h.lru_size = 3;
    auto client = h.client();
    ASSERT_TRUE(client);
    uint64_t a = take_and_release(*client, 1), b = take_and_release(*client, 2), c = take_and_release(*client, 3);
    EXPECT_EQ(client->locks().lru_order(), (std::vector<uint64_t>{a, b, c}));
    EXPECT_EQ(take_and_release(*client, 1), a) << "a held lock is matched";
    EXPECT_EQ(client->locks().lru_order(), (std::vector<uint64_t>{b, c, a})) << "used: back to the young end";
    EXPECT_TRUE(cancelled_cookies(h.ost).empty());

    uint64_t d = take_and_release(*client, 4);
    EXPECT_EQ(cancelled_cookies(h.ost), (std::vector<uint64_t>{b})) << "the oldest unused lock goes";
    EXPECT_EQ(client->locks().lru_order(), (std::vector<uint64_t>{c, a, d}));
    EXPECT_EQ(h.ost.locks().size(), 3u);
    EXPECT_EQ(client->locks().counters().lru_cancels.get(), 1u);
}

TEST(LockCacheLru, ALockInUseIsNeverCancelledByTheLru)
{
    OstHarness h;
    h.lru_size = 0;  // keep no unused lock
    auto client = h.client();
    ASSERT_TRUE(client);
    auto held = client->locks().acquire({.id = 9}, lmode::pr, block(1), ptlrpc::ldlm_flag::no_expansion);
    ASSERT_TRUE(held);
    uint64_t other = take_and_release(*client, 2);
    EXPECT_EQ(cancelled_cookies(h.ost), (std::vector<uint64_t>{other}));
    EXPECT_EQ(client->locks().snapshot().size(), 1u);
    EXPECT_EQ(client->locks().snapshot()[0].cookie, (*held)->cookie);
    uint64_t cookie = (*held)->cookie;
    client->locks().release(**held);
    EXPECT_EQ(cancelled_cookies(h.ost).back(), cookie) << "unused now: beyond the cap of 0";
    EXPECT_TRUE(client->locks().snapshot().empty());
}

TEST(LockCacheLru, DirtyDataIsFlushedBeforeTheLruCancel)
{
    OstHarness h;
    h.lru_size = 1;
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 4}, {.no_expand = true});
    ASSERT_TRUE(client->write(file, 0, pattern(4096, 1)));
    EXPECT_EQ(h.ost.count("write"), 0u) << "still in the writeback cache";
    ASSERT_TRUE(client->write(file, 1 << 20, pattern(4096, 2)));  // a second lock: the first goes
    auto log = h.ost.log();
    auto at = [&](const std::string& what) {
        return std::find_if(log.begin(), log.end(), [&](const LogEntry& e) { return e.what == what; }) - log.begin();
    };
    ASSERT_EQ(h.ost.count("cancel"), 1u);
    ASSERT_EQ(h.ost.count("write"), 1u);
    EXPECT_LT(at("write"), at("cancel")) << "flushed under the lock, then cancelled";
    EXPECT_EQ(log[at("write")].a, 0u);  // the first write's offset
    std::vector<std::byte> back(4096);
    ASSERT_TRUE(client->read(file, 0, back));
    EXPECT_EQ(back, pattern(4096, 1));
}

TEST(LockCacheLru, LockaheadLocksCountAndTheCapHolds)
{
    OstHarness h;
    h.lru_size = 4;
    auto client = h.client();
    ASSERT_TRUE(client);
    for (uint64_t n = 0; n < 20; ++n)
        ASSERT_TRUE(client->locks().enqueue_async({.id = 9}, lmode::pw, block(n),
                                                  ptlrpc::ldlm_flag::speculative | ptlrpc::ldlm_flag::no_expansion));
    ASSERT_TRUE(progress_until(*client, [&] {
        return client->locks().async_in_flight() == 0 && client->locks().snapshot().size() <= 4;
    }));
    EXPECT_EQ(client->locks().snapshot().size(), 4u);
    EXPECT_EQ(client->locks().unused_count(), 4u);
    EXPECT_EQ(h.ost.locks().size(), 4u);
    EXPECT_EQ(client->locks().counters().lru_cancels.get(), 16u);
    EXPECT_EQ(h.ost.count("cancel"), 16u);
}
