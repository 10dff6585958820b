// sync succeeds on every backend; the file backend serves the same objects
// after a restart (a new store on the same directory).
#include <cerrno>

#include "tests/unit/objstore/test_support.hpp"

namespace ostd::objstore::test {
namespace {

using SyncTest = StoreTest;

TEST_P(SyncTest, SyncOfAWrittenObjectSucceeds)
{
    write(1, 0, pattern(5000, 0, 1));
    auto synced = store->sync(1);
    EXPECT_TRUE(synced.ok()) << synced.error().message();
    EXPECT_EQ(read(1, 0, 5000), pattern(5000, 0, 1));
}

TEST_P(SyncTest, SyncOfAMissingObjectIsENOENT)
{
    EXPECT_EQ(store->sync(2).error().code, ENOENT);
}

OBJSTORE_BOTH_BACKENDS(SyncTest);

TEST(FileRestartTest, ANewStoreOnTheSameDirectoryServesTheSameData)
{
    TempDir dir;
    ObjectStoreConfig config;
    config.kind = StoreKind::file;
    config.directory = (dir.path() / "objects").string();
    {
        ObjectStorePtr first = build(config);
        ASSERT_TRUE(first->write(0x1234, 77, pattern(100000, 77, 1)).ok());
        ASSERT_TRUE(first->write(0xfeedface00000001, 1u << 20, pattern(10, 1u << 20, 2)).ok());
        ASSERT_TRUE(first->punch(0x1234, 1000, 2000).ok());
        ASSERT_TRUE(first->sync(0x1234).ok());
        ASSERT_TRUE(first->sync(0xfeedface00000001).ok());
    }
    ObjectStorePtr second = build(config);
    std::vector<std::byte> out(200000);
    auto got = second->read(0x1234, 0, out);
    ASSERT_TRUE(got.ok());
    ASSERT_EQ(*got, 100077u);
    auto expected = pattern(100000, 77, 1);
    std::fill(expected.begin() + (1000 - 77), expected.begin() + (2000 - 77), std::byte{0});
    EXPECT_TRUE(all_zero(out, 0, 77));
    EXPECT_TRUE(std::equal(expected.begin(), expected.end(), out.begin() + 77));
    EXPECT_EQ(second->getattr(0xfeedface00000001)->size, (1u << 20) + 10);
    auto rows = second->list();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].id, 0x1234u);
    EXPECT_EQ(rows[1].id, 0xfeedface00000001u);
}

TEST(FileStoreConfigTest, UnusableDirectoryIsAClearError)
{
    ObjectStoreConfig config;
    config.kind = StoreKind::file;
    auto none = make_object_store(config);
    ASSERT_FALSE(none.ok());
    EXPECT_NE(none.error().find("directory"), std::string::npos);
    config.directory = "/proc/self/objstore-cannot-be-here";
    auto bad = make_object_store(config);
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().find("/proc/self/objstore-cannot-be-here"), std::string::npos) << bad.error();
}

TEST(FileStoreConfigTest, ObjectsAreNamedByTheirIdInHex)
{
    TempDir dir;
    ObjectStoreConfig config;
    config.kind = StoreKind::file;
    config.directory = dir.path().string();
    ObjectStorePtr store = build(config);
    ASSERT_TRUE(store->write(0xab, 0, pattern(1, 0, 1)).ok());
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "00000000000000ab"));
}

TEST(FileStoreConfigTest, ManyObjectsThroughASmallDescriptorCache)
{
    TempDir dir;
    ObjectStoreConfig config;
    config.kind = StoreKind::file;
    config.directory = dir.path().string();
    config.open_files = 3;
    ObjectStorePtr store = build(config);
    for (uint64_t id = 0; id < 50; ++id)
        ASSERT_TRUE(store->write(id, id, pattern(100, id, id)).ok());
    for (uint64_t id = 0; id < 50; ++id) {
        std::vector<std::byte> out(100);
        ASSERT_EQ(*store->read(id, id, out), 100u);
        EXPECT_EQ(out, pattern(100, id, id));
    }
}

TEST(StoreKindTest, ParsesTheTwoBackendNames)
{
    EXPECT_EQ(parse_store_kind("memory"), StoreKind::memory);
    EXPECT_EQ(parse_store_kind("file"), StoreKind::file);
    EXPECT_EQ(parse_store_kind("disk"), std::nullopt);
    EXPECT_EQ(to_string(StoreKind::file), "file");
}

}  // namespace
}  // namespace ostd::objstore::test
