// `show objects`: every object once, by id, with its size and blocks.
#include "tests/unit/objstore/test_support.hpp"

namespace ostd::objstore::test {
namespace {

using ObjectListTest = StoreTest;

TEST_P(ObjectListTest, ListsEveryObjectOrderedById)
{
    EXPECT_TRUE(store->list().empty());
    write(30, 0, pattern(100, 0, 1));
    write(2, 1u << 20, pattern(4096, 1u << 20, 2));
    ASSERT_TRUE(store->set_size(17, 5).ok());
    auto rows = store->list();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].id, 2u);
    EXPECT_EQ(rows[0].size, (1u << 20) + 4096);
    EXPECT_GT(rows[0].blocks, 0u);
    EXPECT_EQ(rows[1].id, 17u);
    EXPECT_EQ(rows[1].size, 5u);
    EXPECT_EQ(rows[1].blocks, 0u);
    EXPECT_EQ(rows[2].id, 30u);
    EXPECT_EQ(rows[2].size, 100u);
    ASSERT_TRUE(store->remove(17).ok());
    EXPECT_EQ(store->list().size(), 2u);
}

OBJSTORE_BOTH_BACKENDS(ObjectListTest);

}  // namespace
}  // namespace ostd::objstore::test
