// The memory backend never holds more than its cap: past it, writes fail with
// ENOSPC and change nothing; freed pages can be written again.
#include <cerrno>

#include "tests/unit/objstore/test_support.hpp"

namespace ostd::objstore::test {
namespace {

ObjectStorePtr capped(uint64_t limit)
{
    ObjectStoreConfig config;
    config.kind = StoreKind::memory;
    config.memory_limit = limit;
    config.page_size = 64 * 1024;
    return build(config);
}

TEST(MemoryCapTest, WritePastTheCapIsENOSPCAndChangesNothing)
{
    ObjectStorePtr store = capped(1u << 20);  // 16 pages
    ASSERT_TRUE(store->write(1, 0, pattern(15 * 65536, 0, 1)).ok());
    auto data = pattern(2 * 65536, 15 * 65536, 2);
    auto refused = store->write(1, 15 * 65536, data);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ENOSPC);
    EXPECT_EQ(refused.error().object, 1u);
    EXPECT_EQ(refused.error().offset, 15u * 65536);
    EXPECT_EQ(store->getattr(1)->size, 15u * 65536);  // not even partly applied
    EXPECT_EQ(store->getattr(1)->blocks, 15u * 128);
    EXPECT_TRUE(store->write(2, 0, pattern(65536, 0, 3)).ok());  // the last page fits
    EXPECT_EQ(store->write(3, 0, pattern(1, 0, 3)).error().code, ENOSPC);
}

TEST(MemoryCapTest, OverwritingHeldPagesNeedsNoMoreRoom)
{
    ObjectStorePtr store = capped(1u << 20);
    ASSERT_TRUE(store->write(1, 0, pattern(1u << 20, 0, 1)).ok());
    EXPECT_TRUE(store->write(1, 12345, pattern(500000, 12345, 2)).ok());
}

TEST(MemoryCapTest, RemovePunchAndTruncateGiveRoomBack)
{
    ObjectStorePtr store = capped(1u << 20);
    ASSERT_TRUE(store->write(1, 0, pattern(1u << 20, 0, 1)).ok());
    ASSERT_EQ(store->write(2, 0, pattern(65536, 0, 1)).error().code, ENOSPC);
    ASSERT_TRUE(store->punch(1, 0, 65536).ok());
    EXPECT_TRUE(store->write(2, 0, pattern(65536, 0, 1)).ok());
    ASSERT_TRUE(store->set_size(1, 65536 * 8).ok());
    EXPECT_TRUE(store->write(3, 0, pattern(65536 * 8, 0, 1)).ok());
    ASSERT_TRUE(store->remove(3).ok());
    EXPECT_TRUE(store->write(4, 0, pattern(65536 * 8, 0, 1)).ok());
}

TEST(MemoryCapTest, SparseObjectsCostOnlyThePagesWritten)
{
    ObjectStorePtr store = capped(1u << 20);
    for (uint64_t i = 0; i < 16; ++i)
        ASSERT_TRUE(store->write(1, i << 30, pattern(100, i << 30, 1)).ok());  // 16 pages, 15 GiB apart
    EXPECT_EQ(store->getattr(1)->size, (15ull << 30) + 100);
    EXPECT_EQ(store->getattr(1)->blocks, 16u * 128);
}

TEST(MemoryCapTest, PageSizeMustBeAPowerOfTwo)
{
    ObjectStoreConfig config;
    config.page_size = 3000;
    auto made = make_object_store(config);
    ASSERT_FALSE(made.ok());
    EXPECT_NE(made.error().find("page_size"), std::string::npos);
}

}  // namespace
}  // namespace ostd::objstore::test
