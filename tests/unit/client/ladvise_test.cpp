// ladvise against the in-test LDLM (DESIGN.md 6): LOCKAHEAD's argument
// checks, SENT / SAME / DIFFERENT, async enqueues in flight together, a
// speculative refusal that leaves no trace on either side, the synchronous
// form, and LOCKNOEXPAND.
#include "client/ladvise.hpp"

#include <gtest/gtest.h>

#include <cerrno>

#include "tests/unit/client/ost_harness.hpp"

using namespace ostd;
using namespace ostd::client;
using namespace ostd::client::testing;
using namespace std::chrono_literals;

namespace {

namespace flag = ptlrpc::ldlm_flag;
namespace lmode = ptlrpc::lock_mode;
using R = LockaheadResult;

std::vector<LogEntry> entries(const MiniOst& ost, const std::string& what)
{
    std::vector<LogEntry> out;
    for (const auto& e : ost.log())
        if (e.what == what)
            out.push_back(e);
    return out;
}

bool all_granted(OstClient& client)
{
    for (const auto& lock : client.locks().snapshot())
        if (lock.state != LockState::granted || lock.async)
            return false;
    return client.locks().async_in_flight() == 0;
}

int error_of(const lnet::Result<std::vector<LockaheadResult>, int>& r) { return r ? 0 : r.error(); }

}  // namespace

TEST(Lockahead, ArgumentChecksFailTheWholeCallAndSendNothing)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 1});
    std::vector<LadviseExtent> ok{{0, 4095}};
    EXPECT_EQ(error_of(lockahead(*client, file, LadviseMode{0}, ok, 0)), -EINVAL);
    EXPECT_EQ(error_of(lockahead(*client, file, LadviseMode{3}, ok, 0)), -EINVAL);
    EXPECT_EQ(error_of(lockahead(*client, file, LadviseMode::write, ok, ladvise_flag::unset)), -EINVAL);
    EXPECT_EQ(error_of(lockahead(*client, file, LadviseMode::write, ok, 0x100)), -EINVAL);
    std::vector<LadviseExtent> empty_range{{0, 4095}, {8192, 8192}};  // start == end
    EXPECT_EQ(error_of(lockahead(*client, file, LadviseMode::write, empty_range, ladvise_flag::async)), -EINVAL);
    std::vector<LadviseExtent> backwards{{8192, 4096}};
    EXPECT_EQ(error_of(lockahead(*client, file, LadviseMode::read, backwards, 0)), -EINVAL);

    std::vector<LadviseExtent> many(1024, LadviseExtent{0, 4095});
    EXPECT_EQ(error_of(lockahead(*client, file, LadviseMode::write, many, ladvise_flag::async)), -EFBIG);
    many.resize(1023);  // the most a call takes: past the size check, refused for the bad last extent
    many.back() = {10, 10};
    EXPECT_EQ(error_of(lockahead(*client, file, LadviseMode::write, many, ladvise_flag::async)), -EINVAL);

    EXPECT_EQ(h.ost.count("enqueue"), 0u);
    EXPECT_TRUE(client->locks().snapshot().empty());
}

TEST(Lockahead, AsyncSendsSpeculativeNoExpandEnqueuesWithoutWaiting)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 2});
    std::vector<LadviseExtent> extents{{0, 4095}, {16384, 20479}, {32768, 36863}, {49152, 53247}};
    auto results = lockahead(*client, file, LadviseMode::write, extents, ladvise_flag::async);
    ASSERT_TRUE(results);
    EXPECT_EQ(*results, (std::vector<R>{R::sent, R::sent, R::sent, R::sent}));
    // Returned with all four still in flight: none was waited for.
    EXPECT_EQ(client->rpc().in_flight(), 4u);
    EXPECT_EQ(client->locks().async_in_flight(), 4u);
    for (const auto& lock : client->locks().snapshot())
        EXPECT_EQ(lock.state, LockState::enqueuing);

    ASSERT_TRUE(progress_until(*client, [&] { return all_granted(*client); }));
    auto enqueues = entries(h.ost, "enqueue");
    ASSERT_EQ(enqueues.size(), 4u);
    for (const auto& e : enqueues)
        EXPECT_EQ(e.a & (flag::speculative | flag::no_expansion), flag::speculative | flag::no_expansion);
    auto held = client->locks().snapshot();
    ASSERT_EQ(held.size(), 4u);
    for (size_t i = 0; i < held.size(); ++i) {
        EXPECT_EQ(held[i].mode, lmode::pw);
        EXPECT_EQ(held[i].extent, (Extent{extents[i].start, extents[i].end}));  // exactly as asked
    }
    EXPECT_EQ(client->locks().counters().async_enqueues.get(), 4u);
}

TEST(Lockahead, HeldLocksGiveSameOrDifferentAndNothingIsSent)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 3});
    std::vector<LadviseExtent> first{{0, 65535}};
    ASSERT_TRUE(lockahead(*client, file, LadviseMode::write, first, ladvise_flag::async));
    // Still in flight: it counts as held already.
    auto again = lockahead(*client, file, LadviseMode::write, first, ladvise_flag::async);
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, (std::vector<R>{R::same}));
    ASSERT_TRUE(progress_until(*client, [&] { return all_granted(*client); }));

    std::vector<LadviseExtent> mixed{{0, 65535}, {4096, 8191}, {0, 65536}};
    auto results = lockahead(*client, file, LadviseMode::write, mixed, ladvise_flag::async);
    ASSERT_TRUE(results);
    EXPECT_EQ(*results, (std::vector<R>{R::same, R::different, R::sent}));
    // READ is served by a PW lock too.
    std::vector<LadviseExtent> reads{{0, 65535}, {100, 200}};
    auto read_results = lockahead(*client, file, LadviseMode::read, reads, ladvise_flag::async);
    ASSERT_TRUE(read_results);
    EXPECT_EQ(*read_results, (std::vector<R>{R::same, R::different}));
    ASSERT_TRUE(progress_until(*client, [&] { return client->locks().async_in_flight() == 0; }));
    EXPECT_EQ(h.ost.count("enqueue"), 2u);  // the first, and [0, 65536] (refused: it meets ours)
    EXPECT_EQ(client->locks().snapshot().size(), 1u);
}

TEST(Lockahead, ReadLockDoesNotServeWrite)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 4});
    std::vector<LadviseExtent> extent{{0, 4095}};
    auto read = lockahead(*client, file, LadviseMode::read, extent, ladvise_flag::async);
    ASSERT_TRUE(read);
    EXPECT_EQ(*read, (std::vector<R>{R::sent}));
    ASSERT_TRUE(progress_until(*client, [&] { return all_granted(*client); }));
    auto write = lockahead(*client, file, LadviseMode::write, extent, ladvise_flag::async);
    ASSERT_TRUE(write);
    EXPECT_EQ(*write, (std::vector<R>{R::sent}));
}

TEST(Lockahead, SpeculativeRefusalIsSilentAndLeavesNoTrace)
{
    OstHarness h;
    auto writer = h.client();
    auto other = h.client();
    ASSERT_TRUE(writer && other);
    OpenObject file = writer->open({.id = 5});
    ASSERT_TRUE(writer->write(file, 0, pattern(4096, 1)));  // PW on [0, EOF]
    OpenObject theirs = other->open({.id = 5});
    std::vector<LadviseExtent> extents{{1 << 20, (2 << 20) - 1}};
    auto results = lockahead(*other, theirs, LadviseMode::write, extents, ladvise_flag::async);
    ASSERT_TRUE(results);
    EXPECT_EQ(*results, (std::vector<R>{R::sent}));
    ASSERT_TRUE(progress_until(*other, [&] { return other->locks().async_in_flight() == 0; }));
    EXPECT_TRUE(other->locks().snapshot().empty());  // the pending lock just went
    EXPECT_EQ(other->locks().counters().async_refused.get(), 1u);
    EXPECT_EQ(h.ost.count("refused"), 1u);
    EXPECT_EQ(h.ost.count("bl_ast"), 0u);  // speculative: nobody called back
    ASSERT_EQ(h.ost.locks().size(), 1u);    // only the writer's lock on the server
    EXPECT_EQ(writer->locks().snapshot().size(), 1u);

    // Asked again, it is SENT again (nothing stale on our side) and refused again.
    auto retry = lockahead(*other, theirs, LadviseMode::write, extents, ladvise_flag::async);
    ASSERT_TRUE(retry);
    EXPECT_EQ(*retry, (std::vector<R>{R::sent}));
    ASSERT_TRUE(progress_until(*other, [&] { return other->locks().async_in_flight() == 0; }));
    EXPECT_TRUE(other->locks().snapshot().empty());
    // A write by the lock holder is unaffected.
    ASSERT_TRUE(writer->write(file, 8192, pattern(4096, 2)));
    EXPECT_EQ(h.ost.count("enqueue"), 3u);
}

TEST(Lockahead, WithoutAsyncWaitsReusesAndAlwaysReportsZero)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 6});
    std::vector<LadviseExtent> extents{{0, 4095}, {8192, 12287}};
    auto results = lockahead(*client, file, LadviseMode::write, extents, 0);
    ASSERT_TRUE(results);
    EXPECT_EQ(*results, (std::vector<R>{R::sent, R::sent}));
    EXPECT_EQ(client->rpc().in_flight(), 0u);
    auto held = client->locks().snapshot();
    ASSERT_EQ(held.size(), 2u);
    EXPECT_EQ(held[0].state, LockState::granted);
    EXPECT_EQ(held[0].extent, (Extent{0, 4095}));
    for (const auto& e : entries(h.ost, "enqueue")) {
        EXPECT_EQ(e.a & flag::no_expansion, flag::no_expansion);
        EXPECT_EQ(e.a & flag::speculative, 0u);
    }
    // Held: reused, still 0, nothing sent.
    std::vector<LadviseExtent> inner{{0, 4095}, {9000, 10000}};
    auto again = lockahead(*client, file, LadviseMode::write, inner, 0);
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, (std::vector<R>{R::sent, R::sent}));
    EXPECT_EQ(h.ost.count("enqueue"), 2u);
}

TEST(Lockahead, WriteRightAfterAsyncLockaheadUsesThatLock)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 7}, {.no_expand = true});
    std::vector<LadviseExtent> extents{{0, 65535}};
    ASSERT_TRUE(lockahead(*client, file, LadviseMode::write, extents, ladvise_flag::async));
    ASSERT_TRUE(client->write(file, 4096, pattern(4096, 1)));  // waits for the reply, then matches
    EXPECT_EQ(h.ost.count("enqueue"), 1u);
    EXPECT_EQ(client->locks().counters().matches.get(), 1u);
    ASSERT_TRUE(client->fsync(file));
    auto writes = entries(h.ost, "write");
    ASSERT_EQ(writes.size(), 1u);
    EXPECT_EQ(writes[0].c, h.ost.locks().at(0).server_cookie);
}

TEST(Lockahead, DisconnectWithAsyncEnqueuesInFlightCancelsThemOnTheServer)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 8});
    std::vector<LadviseExtent> extents{{0, 4095}, {8192, 12287}, {16384, 20479}};
    ASSERT_TRUE(lockahead(*client, file, LadviseMode::write, extents, ladvise_flag::async));
    ASSERT_TRUE(client->disconnect());
    EXPECT_EQ(h.ost.count("cancel"), 3u);
    EXPECT_TRUE(h.ost.locks().empty());
}

TEST(Locknoexpand, SetAndUnsetSwitchTheFilesEnqueueFlag)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    OpenObject file = client->open({.id = 9});
    EXPECT_FALSE(locknoexpand(*client, file, ladvise_flag::async));
    EXPECT_EQ(locknoexpand(*client, file, 0x10).error(), -EINVAL);
    ASSERT_TRUE(locknoexpand(*client, file, 0));
    EXPECT_TRUE(file.no_expand);
    ASSERT_TRUE(client->write(file, 0, pattern(100, 1)));
    ASSERT_TRUE(locknoexpand(*client, file, ladvise_flag::unset));
    EXPECT_FALSE(file.no_expand);
    ASSERT_TRUE(client->write(file, 1 << 20, pattern(100, 2)));
    auto enqueues = entries(h.ost, "enqueue");
    ASSERT_EQ(enqueues.size(), 2u);
    EXPECT_EQ(enqueues[0].a & flag::no_expansion, flag::no_expansion);
    EXPECT_EQ(enqueues[1].a & flag::no_expansion, 0u);
}
