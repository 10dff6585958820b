// A file striped over two in-test OSTs (client/striped_file.hpp): each
// stripe's units land in its own object on its own appliance, reads come
// back byte-exact through the layout (holes as zeros), stat merges the
// objects' sizes, locks and lockahead are per stripe object in object
// offsets, and two files blocked on each other's appliances both finish.
#include "client/striped_file.hpp"

#include <gtest/gtest.h>

#include <barrier>
#include <thread>

#include "client/strided_writer.hpp"
#include "tests/unit/client/ost_harness.hpp"

using namespace ostd;
using namespace ostd::client;
using namespace ostd::client::testing;

namespace {

constexpr uint64_t unit = 4096;

StripeTarget on(OstHarness& h, uint64_t object)
{
    return {h.server.id().nid, {.id = object}, h.server.port()};
}

OstClientConfig base_config(uint32_t pid)
{
    OstClientConfig config;
    config.locks.grant_timeout = std::chrono::milliseconds(5000);
    config.pid = lnet::Pid{pid};
    return config;
}

std::unique_ptr<StripedFile> open(const Layout& layout, uint32_t pid = 0x80002000u, OpenOptions options = {})
{
    auto file = StripedFile::open(layout, base_config(pid), options);
    EXPECT_TRUE(file) << (file ? "" : file.error());
    return file ? std::move(file.value()) : nullptr;
}

Layout two_way(OstHarness& a, OstHarness& b)
{
    return *Layout::make(unit, {on(a, 10), on(b, 20)});
}

// What stripe `stripe`'s object must hold after `data` was written at `offset`
// of an empty file: the model, byte by byte.
std::vector<std::byte> expected_object(const Layout& layout, uint32_t stripe, uint64_t offset,
                                       const std::vector<std::byte>& data)
{
    std::vector<std::byte> object;
    for (uint64_t i = 0; i < data.size(); ++i) {
        StripeOffset where = layout.to_object(offset + i);
        if (where.stripe != stripe)
            continue;
        if (object.size() <= where.object_offset)
            object.resize(where.object_offset + 1);
        object[where.object_offset] = data[i];
    }
    return object;
}

}  // namespace

TEST(StripedFile, EachStripesUnitsLandInItsOwnObjectOnItsOwnAppliance)
{
    OstHarness a, b;
    Layout layout = two_way(a, b);
    auto file = open(layout);
    ASSERT_TRUE(file);
    EXPECT_EQ(file->clients().size(), 2u);
    auto data = pattern(5 * unit + 300, 1);
    const uint64_t offset = 1000;  // unaligned: the first and last units are partial
    ASSERT_TRUE(file->write(offset, data));
    ASSERT_TRUE(file->fsync());
    EXPECT_EQ(a.ost.object(10), expected_object(layout, 0, offset, data));
    EXPECT_EQ(b.ost.object(20), expected_object(layout, 1, offset, data));
    EXPECT_TRUE(a.ost.object(20).empty());  // nothing crossed over
    EXPECT_TRUE(b.ost.object(10).empty());

    std::vector<std::byte> back(data.size());
    auto got = file->read(offset, back);
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, data.size());
    EXPECT_EQ(back, data);
}

TEST(StripedFile, TwoStripesOnOneApplianceShareItsClientAndKeepTheirObjects)
{
    OstHarness a, b;
    Layout layout = *Layout::make(unit, {on(a, 1), on(b, 2), on(a, 3)});
    auto file = open(layout);
    ASSERT_TRUE(file);
    EXPECT_EQ(file->clients().size(), 2u);
    EXPECT_EQ(&file->client_of(0), &file->client_of(2));
    auto data = pattern(7 * unit, 2);
    ASSERT_TRUE(file->write(0, data));
    ASSERT_TRUE(file->fsync());
    EXPECT_EQ(a.ost.object(1), expected_object(layout, 0, 0, data));
    EXPECT_EQ(b.ost.object(2), expected_object(layout, 1, 0, data));
    EXPECT_EQ(a.ost.object(3), expected_object(layout, 2, 0, data));
}

TEST(StripedFile, LocksArePerStripeObjectInObjectOffsets)
{
    OstHarness a, b;
    auto file = open(two_way(a, b), 0x80002000u, {.no_expand = true});
    ASSERT_TRUE(file);
    ASSERT_TRUE(file->write(3 * unit + 10, pattern(unit, 3)));  // file [3u+10, 4u+10): stripe 1 then 0
    auto on_a = a.ost.locks(), on_b = b.ost.locks();
    ASSERT_EQ(on_a.size(), 1u);
    ASSERT_EQ(on_b.size(), 1u);
    EXPECT_EQ(on_a[0].object, 10u);
    EXPECT_EQ(on_a[0].mode, ptlrpc::lock_mode::pw);
    EXPECT_EQ(on_a[0].start, 2 * unit);  // file unit 4 is stripe 0's object unit 2
    EXPECT_EQ(on_a[0].end, 2 * unit + 9);
    EXPECT_EQ(on_b[0].object, 20u);
    EXPECT_EQ(on_b[0].start, unit + 10);  // file unit 3 is stripe 1's object unit 1
    EXPECT_EQ(on_b[0].end, 2 * unit - 1);
}

TEST(StripedFile, StatMergesTheObjectsSizesBackToAFileSize)
{
    OstHarness a, b;
    Layout layout = two_way(a, b);
    auto file = open(layout);
    ASSERT_TRUE(file);
    // Only in stripe 0's second unit (file unit 2): stripe 1's object stays empty.
    ASSERT_TRUE(file->write(2 * unit + 100, pattern(50, 4)));
    auto stat = file->stat();  // our unflushed bytes count
    ASSERT_TRUE(stat);
    EXPECT_EQ(stat->size, 2 * unit + 150);
    EXPECT_EQ(stat->object_sizes, (std::vector<uint64_t>{unit + 150, 0}));
    ASSERT_TRUE(file->fsync());
    file.reset();  // its locks go (this thread could not answer their callbacks)
    auto other = open(layout, 0x80002100u);  // another client learns it by glimpse
    ASSERT_TRUE(other);
    auto seen = other->stat();
    ASSERT_TRUE(seen);
    EXPECT_EQ(seen->size, 2 * unit + 150);
}

TEST(StripedFile, HolesReadAsZerosAndOnlyTheEndOfTheFileIsShort)
{
    OstHarness a, b;
    auto file = open(two_way(a, b));
    ASSERT_TRUE(file);
    auto data = pattern(100, 5);
    ASSERT_TRUE(file->write(2 * unit, data));  // stripe 0, object unit 1; units 0 and 1 are holes
    ASSERT_TRUE(file->fsync());
    file.reset();
    auto reader = open(two_way(a, b), 0x80002100u);
    ASSERT_TRUE(reader);
    std::vector<std::byte> back(4 * unit, std::byte{0x55});
    auto got = reader->read(0, back);
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, 2 * unit + 100);  // the file's size
    std::vector<std::byte> expected(2 * unit + 100);
    std::copy(data.begin(), data.end(), expected.begin() + 2 * unit);
    back.resize(*got);
    EXPECT_EQ(back, expected);

    // A read that ends in stripe 1's hole, before stripe 0's data: whole, zeros.
    std::vector<std::byte> hole(unit, std::byte{0x55});
    auto in_hole = reader->read(unit, hole);
    ASSERT_TRUE(in_hole);
    EXPECT_EQ(*in_hole, unit);
    EXPECT_EQ(hole, std::vector<std::byte>(unit));
}

TEST(StripedFile, LockaheadCutsFileExtentsIntoEachStripesObjectExtents)
{
    OstHarness a, b;
    auto file = open(two_way(a, b));
    ASSERT_TRUE(file);
    std::vector<LadviseExtent> extents{{0, unit - 1}, {2 * unit, 3 * unit - 1}, {unit + 2048, 2 * unit + 2047}};
    auto results = file->lockahead(LadviseMode::write, extents, ladvise_flag::async);
    ASSERT_TRUE(results) << results.error();
    EXPECT_EQ(*results, std::vector<LockaheadResult>(3, LockaheadResult::sent));
    ASSERT_TRUE(progress_until(file->client_of(0), [&] { return lockahead_grants(a.ost).size() == 2; }));
    ASSERT_TRUE(progress_until(file->client_of(1), [&] { return lockahead_grants(b.ost).size() == 1; }));
    // Stripe 0: file units 0 and 2 are its object units 0 and 1. The third
    // extent's share of stripe 0 ([u, u + 2047], file unit 2's first half)
    // is covered by the second's lock in flight (DIFFERENT, not sent); its
    // stripe 1 share was sent, so the extent reports SENT.
    EXPECT_EQ(lockahead_grants(a.ost), (std::vector<Extent>{{0, unit - 1}, {unit, 2 * unit - 1}}));
    EXPECT_EQ(lockahead_grants(b.ost), (std::vector<Extent>{{2048, unit - 1}}));

    auto again = file->lockahead(LadviseMode::write, std::vector<LadviseExtent>{{0, unit - 1}}, ladvise_flag::async);
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, std::vector<LockaheadResult>{LockaheadResult::same});

    std::vector<LadviseExtent> bad{{5, 5}};
    EXPECT_EQ(file->lockahead(LadviseMode::write, bad, ladvise_flag::async).error(), -EINVAL);
    std::vector<LadviseExtent> many(lockahead_max_extents + 1, {0, 1});
    EXPECT_EQ(file->lockahead(LadviseMode::write, many, ladvise_flag::async).error(), -EFBIG);
}

TEST(StripedFile, LocknoexpandReachesEveryStripe)
{
    OstHarness a, b;
    auto file = open(two_way(a, b));
    ASSERT_TRUE(file);
    ASSERT_TRUE(file->locknoexpand(0));
    EXPECT_TRUE(file->object(0).no_expand && file->object(1).no_expand);
    ASSERT_TRUE(file->write(0, pattern(2 * unit, 6)));
    for (const MiniLock& lock : a.ost.locks())
        EXPECT_TRUE(lock.no_expand);
    for (const MiniLock& lock : b.ost.locks())
        EXPECT_TRUE(lock.no_expand);
    ASSERT_TRUE(file->locknoexpand(ladvise_flag::unset));
    EXPECT_FALSE(file->no_expand());
}

// X holds a dirty lock on appliance b and wants one on a; Y holds one on a
// and wants one on b. Each waits on one appliance while the other
// appliance calls its lock back: both finish only because a striped file
// serves every appliance's ASTs while it waits on any of them.
TEST(StripedFile, BlockingAstsFromOneApplianceAreServedWhileWaitingOnAnother)
{
    OstHarness a, b;
    Layout layout = two_way(a, b);
    std::barrier both(2);
    auto x_data = pattern(unit, 7), y_data = pattern(unit, 8);
    auto writer = [&](uint32_t pid, uint64_t first, uint64_t second, const std::vector<std::byte>& data, bool& ok) {
        auto file = open(layout, pid);  // expanded locks: each covers its whole object
        bool holding = file && file->write(first, data);
        both.arrive_and_wait();
        ok = holding && file->write(second, data) && file->fsync();
    };
    bool x_ok = false, y_ok = false;
    std::thread x(writer, 0x80003000u, unit, 0, std::cref(x_data), std::ref(x_ok));  // b, then a
    std::thread y(writer, 0x80003100u, 0, unit, std::cref(y_data), std::ref(y_ok));  // a, then b
    x.join();
    y.join();
    EXPECT_TRUE(x_ok);
    EXPECT_TRUE(y_ok);
    EXPECT_GE(a.ost.count("bl_ast"), 1u);
    EXPECT_GE(b.ost.count("bl_ast"), 1u);
}

TEST(StripedFile, TheStridedWriterLocksAheadOnEveryStripeItWillWrite)
{
    OstHarness a, b;
    Layout layout = two_way(a, b);
    auto file = open(layout);
    ASSERT_TRUE(file);
    StridedWriter writer(*file, {.writers = 1, .rank = 0, .stripe_size = unit, .batch = 4});
    EXPECT_TRUE(writer.flushed_at_open());
    EXPECT_TRUE(file->no_expand());
    auto data = pattern(4 * unit, 9);
    for (uint64_t block = 0; block < 4; ++block)
        ASSERT_TRUE(writer.write(block * unit, std::span(data).subspan(block * unit, unit)));
    EXPECT_EQ(writer.stats().batches, 1u);  // one batch of 4 file blocks: 2 per stripe
    EXPECT_EQ(lockahead_grants(a.ost), (std::vector<Extent>{{0, unit - 1}, {unit, 2 * unit - 1}}));
    EXPECT_EQ(lockahead_grants(b.ost), (std::vector<Extent>{{0, unit - 1}, {unit, 2 * unit - 1}}));
    EXPECT_EQ(a.ost.count("bl_ast") + b.ost.count("bl_ast"), 0u);
    ASSERT_TRUE(file->fsync());
    EXPECT_EQ(a.ost.object(10), expected_object(layout, 0, 0, data));
    EXPECT_EQ(b.ost.object(20), expected_object(layout, 1, 0, data));
}
