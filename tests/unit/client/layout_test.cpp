// The striped layout's RAID0 mapping (client/layout.hpp): file offsets to
// (stripe, object offset) and back, at stripe boundaries and against a
// byte-by-byte model; extents cut per stripe; file sizes merged from objects.
#include "client/layout.hpp"

#include <gtest/gtest.h>

using namespace ostd;
using namespace ostd::client;

namespace {

lnet::Nid nid(uint32_t host) { return *lnet::parse_nid("10.77." + std::to_string(host) + ".1@tcp"); }

Layout layout(uint64_t stripe_size, uint32_t count)
{
    std::vector<StripeTarget> stripes;
    for (uint32_t i = 0; i < count; ++i)
        stripes.push_back({nid(i + 1), {.id = 100 + i}});
    auto made = Layout::make(stripe_size, stripes);
    EXPECT_TRUE(made) << (made ? "" : made.error());
    return *made;
}

// The model: file byte f is byte `object_offset` of stripe `stripe`, found by
// dealing the file's stripe units out to the stripes one by one.
std::vector<StripeOffset> model(uint64_t stripe_size, uint32_t count, uint64_t file_bytes)
{
    std::vector<StripeOffset> where(file_bytes);
    std::vector<uint64_t> filled(count, 0);
    for (uint64_t f = 0; f < file_bytes; ++f) {
        uint32_t stripe = static_cast<uint32_t>((f / stripe_size) % count);
        where[f] = {stripe, filled[stripe]++};
    }
    return where;
}

}  // namespace

TEST(Layout, RefusesWhatCannotBeStriped)
{
    EXPECT_FALSE(Layout::make(0, {{nid(1), {.id = 1}}}));
    EXPECT_FALSE(Layout::make(4096, {}));
    EXPECT_FALSE(Layout::make(4096, std::vector<StripeTarget>(max_stripe_count + 1, {nid(1), {.id = 1}})));
    auto twice = Layout::make(4096, {{nid(1), {.id = 1}}, {nid(1), {.id = 1}}});
    ASSERT_FALSE(twice);
    EXPECT_NE(twice.error().find("same object"), std::string::npos) << twice.error();
    EXPECT_TRUE(Layout::make(4096, {{nid(1), {.id = 1}}, {nid(1), {.id = 2}}}));  // two objects on one appliance
    EXPECT_TRUE(Layout::make(4096, {{nid(1), {.id = 1}}, {nid(2), {.id = 1}}}));  // one id on two appliances
}

TEST(Layout, StripeBoundariesMapLikeLustresLov)
{
    Layout l = layout(1 << 20, 3);
    constexpr uint64_t mib = 1 << 20;
    EXPECT_EQ(l.to_object(0), (StripeOffset{0, 0}));
    EXPECT_EQ(l.to_object(mib - 1), (StripeOffset{0, mib - 1}));
    EXPECT_EQ(l.to_object(mib), (StripeOffset{1, 0}));
    EXPECT_EQ(l.to_object(3 * mib - 1), (StripeOffset{2, mib - 1}));
    EXPECT_EQ(l.to_object(3 * mib), (StripeOffset{0, mib}));  // the second row
    EXPECT_EQ(l.to_object(7 * mib + 5), (StripeOffset{1, 2 * mib + 5}));
    EXPECT_EQ(l.to_file(1, 2 * mib + 5), 7 * mib + 5);
    EXPECT_EQ(l.to_file(2, mib), 5 * mib);
    EXPECT_EQ(l.stripe_width(), 3 * mib);
}

TEST(Layout, EveryByteMatchesTheModelAndRoundTrips)
{
    for (uint64_t stripe_size : {1u, 3u, 8u})
        for (uint32_t count : {1u, 2u, 3u, 5u}) {
            Layout l = layout(stripe_size, count);
            auto where = model(stripe_size, count, 200);
            for (uint64_t f = 0; f < where.size(); ++f) {
                ASSERT_EQ(l.to_object(f), where[f]) << "size " << stripe_size << " count " << count << " byte " << f;
                ASSERT_EQ(l.to_file(where[f].stripe, where[f].object_offset), f);
            }
        }
}

TEST(Layout, SplitCutsAtStripeUnitsInFileOrder)
{
    Layout l = layout(10, 2);
    auto pieces = l.split(5, 27);  // [5, 32)
    std::vector<StripePiece> expected{{0, 5, 5, 5}, {1, 10, 0, 10}, {0, 20, 10, 10}, {1, 30, 10, 2}};
    EXPECT_EQ(pieces, expected);
    EXPECT_TRUE(l.split(7, 0).empty());
    EXPECT_EQ(l.split(20, 10), (std::vector<StripePiece>{{0, 20, 10, 10}}));
}

TEST(Layout, ObjectExtentsHoldExactlyTheStripesBytesOfAFileExtent)
{
    for (uint64_t stripe_size : {1u, 4u, 7u})
        for (uint32_t count : {1u, 2u, 3u}) {
            Layout l = layout(stripe_size, count);
            auto where = model(stripe_size, count, 64);
            for (uint64_t start = 0; start < 40; ++start)
                for (uint64_t end = start; end < 40; ++end)
                    for (uint32_t s = 0; s < count; ++s) {
                        std::optional<Extent> expected;
                        for (uint64_t f = start; f <= end; ++f)
                            if (where[f].stripe == s) {
                                uint64_t o = where[f].object_offset;
                                expected = expected ? Extent{expected->start, o} : Extent{o, o};
                            }
                        ASSERT_EQ(l.object_extent(s, {start, end}), expected)
                            << "size " << stripe_size << " count " << count << " [" << start << ", " << end
                            << "] stripe " << s;
                    }
        }
}

TEST(Layout, AnExtentToEndOfFileStaysOpenInEveryStripe)
{
    Layout l = layout(100, 3);
    EXPECT_EQ(l.object_extent(0, {150, object_eof}), (Extent{100, object_eof}));  // from the next row
    EXPECT_EQ(l.object_extent(1, {150, object_eof}), (Extent{50, object_eof}));
    EXPECT_EQ(l.object_extent(2, {150, object_eof}), (Extent{0, object_eof}));
}

TEST(Layout, FileSizeIsTheLargestSizeAnyObjectImplies)
{
    Layout l = layout(10, 3);
    EXPECT_EQ(l.file_size(0, 0), 0u);
    EXPECT_EQ(l.file_size(0, 1), 1u);
    EXPECT_EQ(l.file_size(0, 10), 10u);   // a full first unit ends at 10, not at the row's end
    EXPECT_EQ(l.file_size(0, 11), 31u);   // one byte into the second row
    EXPECT_EQ(l.file_size(2, 10), 30u);
    EXPECT_EQ(l.file_size(1, 15), 45u);
    std::array<uint64_t, 3> sizes{10, 15, 0};  // a file of 45 bytes with a hole where stripe 2 would be
    EXPECT_EQ(l.file_size(sizes), 45u);
    std::array<uint64_t, 3> none{0, 0, 0};
    EXPECT_EQ(l.file_size(none), 0u);
}

TEST(Layout, FileSizeMatchesTheModelForEveryFileLength)
{
    for (uint64_t stripe_size : {1u, 4u, 7u})
        for (uint32_t count : {1u, 2u, 3u}) {
            Layout l = layout(stripe_size, count);
            auto where = model(stripe_size, count, 80);
            for (uint64_t length = 0; length <= where.size(); ++length) {
                std::vector<uint64_t> sizes(count, 0);  // the objects a file of `length` bytes leaves
                for (uint64_t f = 0; f < length; ++f)
                    sizes[where[f].stripe] = std::max(sizes[where[f].stripe], where[f].object_offset + 1);
                ASSERT_EQ(l.file_size(sizes), length) << "size " << stripe_size << " count " << count;
            }
        }
}
