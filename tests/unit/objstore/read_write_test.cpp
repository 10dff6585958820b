// Data written comes back byte for byte, wherever it lands; holes read as
// zeros; reads stop at the object's size.
#include <cerrno>

#include "tests/unit/objstore/test_support.hpp"

namespace ostd::objstore::test {
namespace {

using ReadWriteTest = StoreTest;

TEST_P(ReadWriteTest, UnalignedWritesFromOneByteTo64MiBReadBackExactly)
{
    const size_t sizes[] = {1, 3, 511, 4097, 65535, 65537, 1000003, 64u << 20};
    const uint64_t offsets[] = {0, 1, 4095, 65537, 3u << 20};
    uint64_t id = 100;
    for (size_t size : sizes)
        for (uint64_t offset : offsets) {
            if (size == (64u << 20) && offset != 65537)
                continue;  // one 64 MiB case keeps the test quick
            auto data = pattern(size, offset, id);
            write(id, offset, data);
            ASSERT_EQ(read(id, offset, size), data) << "size " << size << " offset " << offset;
            EXPECT_EQ(attr(id).size, offset + size);
            ++id;
        }
}

TEST_P(ReadWriteTest, OverwriteReplacesOnlyItsRange)
{
    write(1, 0, pattern(200000, 0, 1));
    write(1, 70001, pattern(9, 70001, 2));
    auto all = read(1, 0, 200000);
    auto expected = pattern(200000, 0, 1);
    auto patch = pattern(9, 70001, 2);
    std::copy(patch.begin(), patch.end(), expected.begin() + 70001);
    EXPECT_EQ(all, expected);
}

TEST_P(ReadWriteTest, HolesReadAsZeros)
{
    write(7, 5u << 20, pattern(10, 5u << 20, 7));
    auto head = read(7, 0, 5u << 20);
    ASSERT_EQ(head.size(), 5u << 20);
    EXPECT_TRUE(all_zero(head));
    auto around = read(7, (5u << 20) - 3, 16);
    ASSERT_EQ(around.size(), 13u);  // stops at the size
    EXPECT_TRUE(all_zero(around, 0, 3));
    EXPECT_EQ(std::vector<std::byte>(around.begin() + 3, around.end()), pattern(10, 5u << 20, 7));
}

TEST_P(ReadWriteTest, ReadPastTheSizeReturnsOnlyUpToTheSize)
{
    write(3, 0, pattern(1000, 0, 3));
    EXPECT_EQ(read(3, 990, 100).size(), 10u);
    EXPECT_EQ(read(3, 1000, 100).size(), 0u);
    EXPECT_EQ(read(3, 1ull << 40, 100).size(), 0u);
}

TEST_P(ReadWriteTest, ReadingAMissingObjectIsENOENTWithContext)
{
    std::vector<std::byte> out(10);
    auto got = store->read(0xabc, 4096, out);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.error().code, ENOENT);
    EXPECT_EQ(got.error().object, 0xabcu);
    EXPECT_EQ(got.error().offset, 4096u);
    EXPECT_EQ(got.error().message(), "read object 0xabc at offset 4096: No such file or directory");
    EXPECT_FALSE(store->getattr(0xabc).ok());
}

TEST_P(ReadWriteTest, WritePastTheLargestSizeIsEFBIG)
{
    auto data = pattern(10, 0, 1);
    auto done = store->write(9, max_object_size - 5, data);
    ASSERT_FALSE(done.ok());
    EXPECT_EQ(done.error().code, EFBIG);
}

TEST_P(ReadWriteTest, RemovedObjectIsGone)
{
    write(11, 0, pattern(100, 0, 11));
    ASSERT_TRUE(store->remove(11).ok());
    EXPECT_EQ(store->getattr(11).error().code, ENOENT);
    EXPECT_EQ(store->remove(11).error().code, ENOENT);
    write(11, 50, pattern(1, 50, 1));  // a new object: the old data is not back
    EXPECT_TRUE(all_zero(read(11, 0, 50)));
}

OBJSTORE_BOTH_BACKENDS(ReadWriteTest);

}  // namespace
}  // namespace ostd::objstore::test
