// Punch deallocates a range: it reads zeros, blocks go down, size stays.
#include <cerrno>

#include "tests/unit/objstore/test_support.hpp"

namespace ostd::objstore::test {
namespace {

using PunchTest = StoreTest;

TEST_P(PunchTest, PunchZeroesTheRangeAndReducesBlocks)
{
    const size_t size = 4u << 20;
    write(1, 0, pattern(size, 0, 1));
    const ObjectAttr before = attr(1);
    const uint64_t start = (1u << 20) + 123, end = (3u << 20) + 77;
    auto after = store->punch(1, start, end);
    ASSERT_TRUE(after.ok()) << after.error().message();
    EXPECT_EQ(after->size, size);
    EXPECT_LE(after->blocks, before.blocks - (1u << 20) / 512);  // at least 1 MiB freed
    auto all = read(1, 0, size);
    auto expected = pattern(size, 0, 1);
    std::fill(expected.begin() + start, expected.begin() + end, std::byte{0});
    EXPECT_EQ(all, expected);
}

TEST_P(PunchTest, PunchToTheEndKeepsTheSize)
{
    write(2, 0, pattern(1u << 20, 0, 2));
    auto after = store->punch(2, 4096, object_eof);
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after->size, 1u << 20);
    EXPECT_TRUE(all_zero(read(2, 4096, 1u << 20)));
    EXPECT_EQ(read(2, 0, 4096), pattern(4096, 0, 2));
    EXPECT_LT(after->blocks, (1u << 20) / 512);
}

TEST_P(PunchTest, PunchOfAMissingObjectIsENOENT)
{
    EXPECT_EQ(store->punch(3, 0, 100).error().code, ENOENT);
}

TEST_P(PunchTest, ReversedRangeIsEINVAL)
{
    write(4, 0, pattern(10, 0, 4));
    EXPECT_EQ(store->punch(4, 100, 10).error().code, EINVAL);
}

OBJSTORE_BOTH_BACKENDS(PunchTest);

}  // namespace
}  // namespace ostd::objstore::test
