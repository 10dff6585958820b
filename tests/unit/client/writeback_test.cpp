// The writeback cache and the ASTs that reach it: a blocking AST flushes
// the dirty data under the lock before the lock is cancelled; a glimpse AST
// is answered with the unflushed size; stat is the glimpse's size or ours.
#include "client/writeback.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "tests/unit/client/ost_harness.hpp"

using namespace ostd;
using namespace ostd::client;
using namespace ostd::client::testing;

TEST(Writeback, WritesStayDirtyUntilFsync)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 1});
    auto a = pattern(3000, 1);
    auto b = pattern(3000, 2);
    ASSERT_TRUE(client->write(file, 0, a));
    ASSERT_TRUE(client->write(file, 2000, b));  // overlaps: merged, newer wins
    EXPECT_EQ(h.ost.count("write"), 0u);
    EXPECT_EQ(client->cache().dirty_bytes(), 5000u);
    std::vector<std::byte> back(5000);
    auto got = client->read(file, 0, back);  // our dirty bytes over the OST's (none)
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, 5000u);
    EXPECT_TRUE(std::equal(a.begin(), a.begin() + 2000, back.begin()));
    EXPECT_TRUE(std::equal(b.begin(), b.end(), back.begin() + 2000));
    ASSERT_TRUE(client->fsync(file));
    EXPECT_EQ(h.ost.count("write"), 1u);  // one merged extent
    EXPECT_EQ(h.ost.count("sync"), 1u);
    EXPECT_EQ(client->cache().dirty_bytes(), 0u);
    EXPECT_EQ(h.ost.object(1), back);
}

TEST(Writeback, BlockingAstFlushesDirtyDataBeforeTheCancel)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 2});
    auto data = pattern(50'000, 5);
    ASSERT_TRUE(client->write(file, 100, data));
    uint64_t cookie = client->locks().snapshot().at(0).cookie;
    uint64_t server_handle = client->locks().snapshot().at(0).server_handle;
    h.server.post([&](PtlrpcServer& s) { h.ost.send_blocking_ast(s, cookie); });
    ASSERT_TRUE(progress_until(*client, [&] { return h.ost.count("cancel") == 1; }));
    auto log = h.ost.log();
    size_t last_write = 0, cancel = 0;
    for (size_t i = 0; i < log.size(); ++i) {
        if (log[i].what == "write") {
            last_write = i;
            EXPECT_EQ(log[i].c, server_handle);  // under the lock being called back
        }
        if (log[i].what == "cancel")
            cancel = i;
    }
    EXPECT_GT(last_write, 0u);
    EXPECT_LT(last_write, cancel);
    auto stored = h.ost.object(2);
    ASSERT_EQ(stored.size(), 50'100u);
    EXPECT_TRUE(std::equal(data.begin(), data.end(), stored.begin() + 100));
    EXPECT_TRUE(client->locks().snapshot().empty());
    EXPECT_EQ(client->cache().dirty_bytes(), 0u);
}

// A blocking AST for a lock the client no longer holds (its cancel crossed
// the AST) is answered -EINVAL, as Lustre's client answers, so the server
// cancels the lock instead of evicting the client; the locks it holds stay.
TEST(Writeback, BlockingAstForALockWeDoNotHoldIsAnsweredEinval)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 2});
    ASSERT_TRUE(client->write(file, 0, pattern(100, 1)));
    uint64_t cookie = client->locks().snapshot().at(0).cookie;
    h.server.post([&](PtlrpcServer& s) { h.ost.send_stale_blocking_ast(s, cookie, cookie + 1000); });
    ASSERT_TRUE(progress_until(*client, [&] { return h.ost.count("bl_reply") == 1; }));
    for (const LogEntry& entry : h.ost.log())
        if (entry.what == "bl_reply")
            EXPECT_EQ(static_cast<int32_t>(entry.b), -EINVAL);
    EXPECT_EQ(client->locks().snapshot().size(), 1u);
    EXPECT_EQ(h.ost.count("cancel"), 0u);
}

TEST(Writeback, GlimpseAstIsAnsweredWithTheUnflushedSize)
{
    OstHarness h;
    h.ost.set_object(3, pattern(1000, 1));
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 3});
    ASSERT_TRUE(client->write(file, 70'000, pattern(5, 2)));
    uint64_t cookie = client->locks().snapshot().at(0).cookie;
    h.server.post([&](PtlrpcServer& s) { h.ost.send_glimpse_ast(s, cookie); });
    ASSERT_TRUE(progress_until(*client, [&] { return h.ost.count("gl_reply") == 1; }));
    for (const auto& e : h.ost.log()) {
        if (e.what == "gl_reply") {
            EXPECT_EQ(e.b, 70'005u);
        }
    }
    EXPECT_EQ(h.ost.count("write"), 0u);  // nothing flushed by a glimpse
}

TEST(Writeback, StatOfAnotherClientsDirtyObjectGlimpsesTheHolder)
{
    OstHarness h;
    h.ost.set_object(4, pattern(1000, 1));
    auto writer = h.client();
    auto reader = h.client();
    ASSERT_TRUE(writer && reader);
    OpenObject wfile = writer->open({.id = 4});
    ASSERT_TRUE(writer->write(wfile, 0, pattern(123'456, 3)));

    std::atomic<bool> stop{false};
    std::thread serve([&] {  // the writer answers its ASTs while the reader waits
        while (!stop)
            writer->progress(std::chrono::milliseconds(5));
    });
    auto stat = reader->stat(reader->open({.id = 4}));
    stop = true;
    serve.join();
    ASSERT_TRUE(stat) << stat.error().detail;
    EXPECT_FALSE(stat->lock_granted);  // 301: aborted, size in the LVB
    EXPECT_EQ(stat->size, 123'456u);
    EXPECT_EQ(h.ost.count("gl_ast"), 1u);
}

TEST(Writeback, AReadOfAHoleBeforeOurDirtyDataReadsZerosNotTheEnd)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 2});
    auto early = pattern(100, 1);
    ASSERT_TRUE(client->write(file, 1000, early));
    ASSERT_TRUE(client->write(file, 50'000, pattern(100, 2)));  // the object is 50100 bytes long
    std::vector<std::byte> back(3000, std::byte{0x55});
    auto got = client->read(file, 900, back);  // [900, 3900): data then a hole, all inside the object
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, 3000u);
    EXPECT_TRUE(std::all_of(back.begin(), back.begin() + 100, [](std::byte b) { return b == std::byte{0}; }));
    EXPECT_TRUE(std::equal(early.begin(), early.end(), back.begin() + 100));
    EXPECT_TRUE(std::all_of(back.begin() + 200, back.end(), [](std::byte b) { return b == std::byte{0}; }));
    std::vector<std::byte> tail(500);
    auto past = client->read(file, 50'000, tail);  // still short at the object's end
    ASSERT_TRUE(past);
    EXPECT_EQ(*past, 100u);
}

TEST(Writeback, StatIsTheLargerOfTheServersSizeAndOurDirtyEnd)
{
    OstHarness h;
    h.ost.set_object(5, pattern(9000, 1));
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 5}, {.no_expand = true});
    auto plain = client->stat(file);
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->size, 9000u);
    EXPECT_EQ(plain->server_size, 9000u);
    OpenObject other = client->open({.id = 6});
    ASSERT_TRUE(client->write(other, 20'000, pattern(10, 1)));
    auto grown = client->stat(other);
    ASSERT_TRUE(grown);
    EXPECT_EQ(grown->size, 20'010u);
    EXPECT_EQ(grown->dirty_end, 20'010u);
}

TEST(Writeback, MergesAdjacentExtentsAndDiscardsFromAnOffset)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    ObjectIo& io = client->io();
    WritebackCache cache(io);
    ClientLock lock;
    lock.cookie = 1;
    lock.object = {.id = 9};
    cache.add(lock, 0, pattern(100, 1));
    cache.add(lock, 100, pattern(100, 2));
    cache.add(lock, 500, pattern(100, 3));
    EXPECT_EQ(cache.dirty_bytes(), 300u);
    EXPECT_EQ(cache.dirty_end({.id = 9}), 600u);
    cache.discard_from({.id = 9}, 150);
    EXPECT_EQ(cache.dirty_bytes(), 150u);
    EXPECT_EQ(cache.dirty_end({.id = 9}), 150u);
}
