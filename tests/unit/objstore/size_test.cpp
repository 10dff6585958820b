// An object's size: the highest byte written + 1, or what set_size says.
#include "tests/unit/objstore/test_support.hpp"

namespace ostd::objstore::test {
namespace {

using SizeTest = StoreTest;

TEST_P(SizeTest, SizeIsTheHighestByteWrittenPlusOne)
{
    write(1, 1000, pattern(24, 1000, 1));
    EXPECT_EQ(attr(1).size, 1024u);
    write(1, 0, pattern(10, 0, 1));  // lower write does not shrink it
    EXPECT_EQ(attr(1).size, 1024u);
}

TEST_P(SizeTest, ExtendReadsZerosUpToTheNewSize)
{
    write(2, 0, pattern(100, 0, 2));
    auto a = store->set_size(2, 1u << 20);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->size, 1u << 20);
    auto tail = read(2, 100, 1u << 20);
    EXPECT_EQ(tail.size(), (1u << 20) - 100);
    EXPECT_TRUE(all_zero(tail));
}

TEST_P(SizeTest, TruncateDropsDataAndLaterExtensionReadsZeros)
{
    write(3, 0, pattern(300000, 0, 3));
    const uint64_t blocks_before = attr(3).blocks;
    ASSERT_TRUE(store->set_size(3, 1000).ok());
    EXPECT_EQ(attr(3).size, 1000u);
    EXPECT_LT(attr(3).blocks, blocks_before);
    EXPECT_EQ(read(3, 0, 5000), pattern(1000, 0, 3));
    ASSERT_TRUE(store->set_size(3, 300000).ok());
    auto again = read(3, 0, 300000);
    EXPECT_EQ(std::vector<std::byte>(again.begin(), again.begin() + 1000), pattern(1000, 0, 3));
    EXPECT_TRUE(all_zero(again, 1000));
}

TEST_P(SizeTest, TruncateToZeroFreesEverything)
{
    write(4, 12345, pattern(200000, 12345, 4));
    ASSERT_TRUE(store->set_size(4, 0).ok());
    EXPECT_EQ(attr(4).size, 0u);
    EXPECT_EQ(attr(4).blocks, 0u);
}

TEST_P(SizeTest, SetSizeCreatesAMissingObject)
{
    auto a = store->set_size(5, 4096);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(attr(5).size, 4096u);
    EXPECT_TRUE(all_zero(read(5, 0, 4096)));
}

TEST_P(SizeTest, BlocksCountWhatIsAllocatedAndTimesAreSet)
{
    write(6, 10u << 20, pattern(1u << 20, 10u << 20, 6));
    ObjectAttr a = attr(6);
    EXPECT_EQ(a.size, 11u << 20);
    EXPECT_GE(a.blocks, (1u << 20) / 512);       // the data is there
    EXPECT_LT(a.blocks, (4u << 20) / 512);       // the 10 MiB hole is not
    EXPECT_GT(a.mtime, 1600000000);
    EXPECT_GT(a.ctime, 1600000000);
}

OBJSTORE_BOTH_BACKENDS(SizeTest);

}  // namespace
}  // namespace ostd::objstore::test
