// Shared by the object store tests: a fixture that builds either backend (the
// file backend in a fresh temporary directory, removed afterwards) and byte
// patterns that tell every offset and writer apart.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "objstore/object_store.hpp"

namespace ostd::objstore::test {

// Byte i of the pattern depends on (seed, offset + i): a misplaced copy shows.
inline std::vector<std::byte> pattern(size_t length, uint64_t offset, uint64_t seed)
{
    std::vector<std::byte> bytes(length);
    for (size_t i = 0; i < length; ++i) {
        uint64_t x = (offset + i) * 0x9E3779B97F4A7C15ull + seed * 0xC2B2AE3D27D4EB4Full;
        bytes[i] = static_cast<std::byte>((x >> 56) ^ (x >> 29) ^ 0x5a);
    }
    return bytes;
}

inline bool all_zero(const std::vector<std::byte>& bytes, size_t from = 0, size_t to = SIZE_MAX)
{
    to = std::min(to, bytes.size());
    for (size_t i = from; i < to; ++i)
        if (bytes[i] != std::byte{0})
            return false;
    return true;
}

class TempDir {
public:
    TempDir()
    {
        std::string templ = (std::filesystem::temp_directory_path() / "objstore_test.XXXXXX").string();
        if (::mkdtemp(templ.data()) == nullptr)
            throw std::runtime_error("mkdtemp failed");
        _path = templ;
    }
    ~TempDir() { std::filesystem::remove_all(_path); }
    const std::filesystem::path& path() const { return _path; }

private:
    std::filesystem::path _path;
};

inline ObjectStorePtr build(const ObjectStoreConfig& config)
{
    auto made = make_object_store(config);
    if (!made)
        throw std::runtime_error(made.error());
    return std::move(made.value());
}

// Parameterised over the backends.
class StoreTest : public ::testing::TestWithParam<StoreKind> {
protected:
    void SetUp() override { store = build(config()); }

    ObjectStoreConfig config() const
    {
        ObjectStoreConfig c;
        c.kind = GetParam();
        c.directory = (dir.path() / "objects").string();
        return c;
    }

    // Reads [offset, offset + length) and fails the test on error.
    std::vector<std::byte> read(uint64_t id, uint64_t offset, size_t length)
    {
        std::vector<std::byte> out(length, std::byte{0xee});
        auto got = store->read(id, offset, out);
        EXPECT_TRUE(got.ok()) << (got ? "" : got.error().message());
        out.resize(got ? *got : 0);
        return out;
    }

    void write(uint64_t id, uint64_t offset, const std::vector<std::byte>& data)
    {
        auto done = store->write(id, offset, data);
        ASSERT_TRUE(done.ok()) << done.error().message();
        ASSERT_EQ(*done, data.size());
    }

    ObjectAttr attr(uint64_t id)
    {
        auto a = store->getattr(id);
        EXPECT_TRUE(a.ok()) << (a ? "" : a.error().message());
        return a ? *a : ObjectAttr{};
    }

    TempDir dir;
    ObjectStorePtr store;
};

inline std::string kind_name(const ::testing::TestParamInfo<StoreKind>& info)
{
    return std::string(to_string(info.param));
}

#define OBJSTORE_BOTH_BACKENDS(Suite)                                                                       \
    INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::Values(StoreKind::memory, StoreKind::file), \
                             kind_name)

}  // namespace ostd::objstore::test
