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
