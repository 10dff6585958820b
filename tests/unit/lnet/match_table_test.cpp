// Matching rules of DESIGN.md section 5, one test per rule.
#include "lnet_core/match_table.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace ostd::lnet;

namespace {

const ProcessId peer{Nid::tcp(0x0a000002), 12345};
const ProcessId other_peer{Nid::tcp(0x0a000003), 12345};

struct MatchTableTest : ::testing::Test {
    MatchTable table;
    std::vector<std::byte> memory = std::vector<std::byte>(4096);

    MdSpec md(uint32_t options = md_option::op_put, int32_t threshold = threshold_infinite, size_t length = 1024)
    {
        return MdSpec{std::span(memory).first(length), options, threshold, 0, true, nullptr, 0};
    }
    MdHandle attach(MatchSpec me, MdSpec spec, Position position = Position::after)
    {
        auto handle = table.attach(me, spec, position);
        EXPECT_TRUE(handle);
        return *handle;
    }
    static MatchRequest put(uint32_t portal, uint64_t bits, uint32_t length = 100, ProcessId from = peer)
    {
        return {MsgType::put, from, portal, bits, length, 0};
    }
    MdHandle matched(const MatchRequest& request)
    {
        MatchOutcome out = table.match(request);
        return out.result == MatchResult::ok ? table.mds().handle(out.slot) : MdHandle{};
    }
};

}  // namespace

TEST_F(MatchTableTest, FirstMeDecidesThePortalKindAndTheOtherKindIsRefused)
{
    attach({4, peer, 128, 0}, md());
    EXPECT_EQ(table.kind(4), PortalKind::unique);
    EXPECT_EQ(table.attach({4, ProcessId::any(), 0, ~0ull}, md(), Position::after).error(),
              AttachError::wrong_portal_kind);

    attach({28, ProcessId::any(), 0, ~0ull}, md());
    EXPECT_EQ(table.kind(28), PortalKind::wildcard);
    EXPECT_EQ(table.attach({28, peer, 1, 0}, md(), Position::after).error(), AttachError::wrong_portal_kind);
}

TEST_F(MatchTableTest, AnyWildcardMakesAWildcardPortal)
{
    attach({5, {peer.nid, pid_any}, 1, 0}, md());
    EXPECT_EQ(table.kind(5), PortalKind::wildcard);
    attach({6, {Nid::any(), 12345}, 1, 0}, md());
    EXPECT_EQ(table.kind(6), PortalKind::wildcard);
    attach({7, peer, 1, 0xff}, md());
    EXPECT_EQ(table.kind(7), PortalKind::wildcard);
}

TEST_F(MatchTableTest, RefusesBadPortalsAndBadMds)
{
    EXPECT_EQ(table.attach({64, peer, 1, 0}, md(), Position::after).error(), AttachError::bad_portal);
    EXPECT_EQ(table.attach({4, peer, 1, 0}, md(md_option::op_put, -2), Position::after).error(),
              AttachError::bad_md);
    MdSpec too_big = md(md_option::op_put | md_option::max_size);
    too_big.max_size = 2000;  // beyond the 1024-byte buffer
    EXPECT_EQ(table.attach({4, peer, 1, 0}, too_big, Position::after).error(), AttachError::bad_md);
    too_big.max_size = 0;
    EXPECT_EQ(table.attach({4, peer, 1, 0}, too_big, Position::after).error(), AttachError::bad_md);
}

TEST_F(MatchTableTest, UniqueMatchNeedsPeerPidAndBitsExactly)
{
    MdHandle h = attach({4, peer, 0x1000, 0}, md());
    EXPECT_EQ(matched(put(4, 0x1000)), h);
    EXPECT_FALSE(matched(put(4, 0x1080)).valid());
    EXPECT_FALSE(matched(put(4, 0x1000, 100, other_peer)).valid());
    EXPECT_FALSE(matched(put(4, 0x1000, 100, {peer.nid, 999})).valid());
    EXPECT_FALSE(matched(put(5, 0x1000)).valid());
}

TEST_F(MatchTableTest, IgnoreBitsMaskTheComparison)
{
    MdHandle h = attach({28, ProcessId::any(), 0xAB00, 0x00FF}, md());
    EXPECT_EQ(matched(put(28, 0xAB42)), h);
    EXPECT_EQ(matched(put(28, 0xABFF)), h);
    EXPECT_FALSE(matched(put(28, 0xAC00)).valid());
}

TEST_F(MatchTableTest, WildcardMesWithIgnoreBitsAreSearchedFirst)
{
    MdHandle exact = attach({28, ProcessId::any(), 0x10, 0}, md());
    MdHandle ignoring = attach({28, ProcessId::any(), 0, ~0ull}, md());
    EXPECT_EQ(matched(put(28, 0x10)), ignoring);
    table.unlink(ignoring);
    EXPECT_EQ(matched(put(28, 0x10)), exact);
}

TEST_F(MatchTableTest, BeforeGoesToTheHeadAfterAndLocalToTheTail)
{
    MdHandle first = attach({28, ProcessId::any(), 0, ~0ull}, md(), Position::after);
    MdHandle local = attach({28, ProcessId::any(), 0, ~0ull}, md(), Position::local);
    EXPECT_EQ(matched(put(28, 1)), first);
    MdHandle head = attach({28, ProcessId::any(), 0, ~0ull}, md(), Position::before);
    EXPECT_EQ(matched(put(28, 1)), head);
    table.unlink(head);
    table.unlink(first);
    EXPECT_EQ(matched(put(28, 1)), local);
}

TEST_F(MatchTableTest, SameUniqueKeyMatchesInAttachOrder)
{
    MdHandle a = attach({4, peer, 7, 0}, md(md_option::op_put, 1));
    MdHandle b = attach({4, peer, 7, 0}, md(md_option::op_put, 1));
    MdHandle front = attach({4, peer, 7, 0}, md(md_option::op_put, 1), Position::before);
    EXPECT_EQ(matched(put(4, 7)), front);
    table.commit(table.match(put(4, 7)));  // front exhausted and auto-unlinked
    EXPECT_EQ(matched(put(4, 7)), a);
    table.commit(table.match(put(4, 7)));
    EXPECT_EQ(matched(put(4, 7)), b);
    table.commit(table.match(put(4, 7)));
    EXPECT_FALSE(matched(put(4, 7)).valid());
    EXPECT_EQ(table.unique_index().size(), 0u);  // last of the key: the key is gone
    EXPECT_EQ(table.entries(4), 0u);
}

TEST_F(MatchTableTest, OpFilterRefusesTheOtherOperation)
{
    attach({28, ProcessId::any(), 0, ~0ull}, md(md_option::op_put));
    MatchRequest get{MsgType::get, peer, 28, 1, 10, 0};
    EXPECT_EQ(table.match(get).result, MatchResult::none);
    MdHandle g = attach({28, ProcessId::any(), 0, ~0ull}, md(md_option::op_get));
    EXPECT_EQ(matched(get), g);
}

TEST_F(MatchTableTest, ThresholdReachingZeroWithAutoUnlinkRemovesTheMd)
{
    MdHandle h = attach({4, peer, 1, 0}, md(md_option::op_put, 2));
    EXPECT_FALSE(table.commit(table.match(put(4, 1))));
    EXPECT_TRUE(table.mds().find(h));
    EXPECT_TRUE(table.commit(table.match(put(4, 1))));
    EXPECT_FALSE(table.mds().find(h));
    EXPECT_EQ(table.match(put(4, 1)).result, MatchResult::none);
}

TEST_F(MatchTableTest, ExhaustedMdWithoutAutoUnlinkStaysButNoLongerMatches)
{
    MdSpec spec = md(md_option::op_put, 1);
    spec.auto_unlink = false;
    MdHandle h = attach({4, peer, 1, 0}, spec);
    EXPECT_FALSE(table.commit(table.match(put(4, 1))));
    EXPECT_TRUE(table.mds().find(h));
    EXPECT_EQ(table.match(put(4, 1)).result, MatchResult::none);
}

TEST_F(MatchTableTest, TooLongWithoutTruncateDropsAndEndsTheSearch)
{
    attach({28, ProcessId::any(), 0, ~0ull}, md(md_option::op_put, threshold_infinite, 64));
    attach({28, ProcessId::any(), 0, ~0ull}, md(md_option::op_put, threshold_infinite, 1024));
    MatchOutcome out = table.match(put(28, 1, 100));
    EXPECT_EQ(out.result, MatchResult::drop);  // the big MD behind it is never tried
}

TEST_F(MatchTableTest, TruncateCutsTheMessageToWhatFits)
{
    attach({28, ProcessId::any(), 0, ~0ull}, md(md_option::op_put | md_option::truncate, threshold_infinite, 64));
    MatchOutcome out = table.match(put(28, 1, 100));
    EXPECT_EQ(out.result, MatchResult::ok);
    EXPECT_EQ(out.mlength, 64u);
}

TEST_F(MatchTableTest, LocalOffsetAdvancesAndMaxSizeExhaustsARequestBuffer)
{
    MdSpec buffer = md(md_option::op_put | md_option::max_size, threshold_infinite, 1000);
    buffer.max_size = 300;
    MdHandle h = attach({28, ProcessId::any(), 0, ~0ull}, buffer);
    uint32_t expected_offset = 0;
    for (int i = 0; i < 3; ++i) {
        MatchOutcome out = table.match(put(28, 1, 250));
        ASSERT_EQ(out.result, MatchResult::ok);
        EXPECT_EQ(out.offset, expected_offset);
        bool unlinked = table.commit(out);
        expected_offset += 250;
        // After 750 bytes, 250 remain: fewer than max_size, so it is exhausted.
        EXPECT_EQ(unlinked, i == 2);
    }
    EXPECT_FALSE(table.mds().find(h));
}

TEST_F(MatchTableTest, MaxSizeLimitsOneMessage)
{
    MdSpec buffer = md(md_option::op_put | md_option::max_size, threshold_infinite, 1000);
    buffer.max_size = 300;
    attach({28, ProcessId::any(), 0, ~0ull}, buffer);
    EXPECT_EQ(table.match(put(28, 1, 301)).result, MatchResult::drop);
}

TEST_F(MatchTableTest, ManageRemoteUsesTheSendersOffset)
{
    attach({8, peer, 5, 0}, md(md_option::op_put | md_option::manage_remote, threshold_infinite, 4096));
    MatchRequest request = put(8, 5, 1000);
    request.roffset = 3000;
    MatchOutcome out = table.match(request);
    EXPECT_EQ(out.result, MatchResult::ok);
    EXPECT_EQ(out.offset, 3000u);
    table.commit(out);
    request.roffset = 3200;  // 896 bytes left: too long
    EXPECT_EQ(table.match(request).result, MatchResult::drop);
}

TEST_F(MatchTableTest, UnlinkByStaleHandleIsRefused)
{
    MdHandle h = attach({4, peer, 1, 0}, md());
    EXPECT_TRUE(table.unlink(h));
    EXPECT_FALSE(table.unlink(h));
    MdHandle reused = attach({4, peer, 1, 0}, md());  // same slot, new generation
    EXPECT_NE(reused, h);
    EXPECT_FALSE(table.mds().find(h));
    EXPECT_TRUE(table.mds().find(reused));
}

TEST_F(MatchTableTest, HandlesNameTheirOwnerCore)
{
    MatchTable core3(3);
    auto h = core3.bind(md());
    ASSERT_TRUE(h);
    EXPECT_EQ(owner_core_of(h->cookie), 3);
    EXPECT_FALSE(table.mds().find(*h));  // core 0 does not own it
}

TEST_F(MatchTableTest, BurstAgreesWithSingleMatches)
{
    std::vector<MatchRequest> requests;
    for (uint64_t i = 0; i < 200; ++i) {
        attach({4, peer, i * 128, 0}, md());
        requests.push_back(put(4, i * 128 * (i % 3 == 0 ? 1 : 7)));  // some hits, some misses
    }
    requests.push_back(put(28, 1));  // a portal of another kind in the burst
    attach({28, ProcessId::any(), 0, ~0ull}, md());
    std::vector<MatchOutcome> outcomes(requests.size());
    table.match_burst(requests, outcomes);
    for (size_t i = 0; i < requests.size(); ++i) {
        MatchOutcome single = table.match(requests[i]);
        EXPECT_EQ(outcomes[i].result, single.result) << i;
        EXPECT_EQ(outcomes[i].slot, single.slot) << i;
    }
}

// A burst locates every plan before any is matched; when an earlier match of
// the burst unlinks the chain head a later plan located, that plan must not
// use it (the next MD of the chain takes the message, as lib-ptl.c would).
TEST_F(MatchTableTest, APlanLocatedBeforeAnUnlinkMatchesTheChainAsItIsNow)
{
    MdHandle first = attach({4, peer, 128, 0}, md(md_option::op_put, 1));  // one use, then auto-unlink
    MdHandle second = attach({4, peer, 128, 0}, md(md_option::op_put, 1));
    MatchPlan plans[3];
    for (MatchPlan& p : plans) {
        p.request = put(4, 128);
        table.plan(p);
        table.locate(p);
    }
    ASSERT_TRUE(plans[0].located);
    MatchOutcome out = table.match(plans[0]);
    ASSERT_EQ(out.result, MatchResult::ok);
    EXPECT_EQ(table.mds().handle(out.slot), first);
    EXPECT_TRUE(table.commit(out));  // exhausted: unlinked

    out = table.match(plans[1]);  // located on the unlinked head
    ASSERT_EQ(out.result, MatchResult::ok);
    EXPECT_EQ(table.mds().handle(out.slot), second);
    EXPECT_TRUE(table.commit(out));

    EXPECT_EQ(table.match(plans[2]).result, MatchResult::none);  // the key is gone
}

// A plan located before an attach sees the MEs attached since.
TEST_F(MatchTableTest, APlanLocatedBeforeAnAttachSeesTheNewMe)
{
    attach({4, peer, 1, 0}, md());  // makes portal 4 unique
    MatchPlan p;
    p.request = put(4, 256);
    table.plan(p);
    table.locate(p);
    EXPECT_EQ(p.head, no_md);
    MdHandle late = attach({4, peer, 256, 0}, md());
    MatchOutcome out = table.match(p);
    ASSERT_EQ(out.result, MatchResult::ok);
    EXPECT_EQ(table.mds().handle(out.slot), late);
}
