// Several threads at once: different objects proceed independently and lose
// nothing; writes to one object serialise, so no 4 KiB write is torn.
#include <atomic>
#include <thread>

#include "tests/unit/objstore/test_support.hpp"

namespace ostd::objstore::test {
namespace {

using ConcurrencyTest = StoreTest;

constexpr unsigned thread_count = 4;

TEST_P(ConcurrencyTest, WritersOnDifferentObjectsLoseNothing)
{
    std::vector<std::thread> threads;
    std::atomic<unsigned> failures{0};
    for (unsigned t = 0; t < thread_count; ++t)
        threads.emplace_back([&, t] {
            for (uint64_t i = 0; i < 64; ++i) {
                const uint64_t id = 1000 * (t + 1) + i % 8;
                const uint64_t offset = (i / 8) * 10007;
                if (!store->write(id, offset, pattern(10007, offset, id)).ok())
                    failures.fetch_add(1);
            }
        });
    for (auto& thread : threads)
        thread.join();
    ASSERT_EQ(failures.load(), 0u);
    for (unsigned t = 0; t < thread_count; ++t)
        for (uint64_t k = 0; k < 8; ++k) {
            const uint64_t id = 1000 * (t + 1) + k;
            EXPECT_EQ(read(id, 0, 8 * 10007), pattern(8 * 10007, 0, id)) << "object " << id;
        }
    EXPECT_EQ(store->list().size(), thread_count * 8);
}

// Each thread writes whole 4 KiB blocks filled with its own byte over the same
// 64 blocks, again and again, while readers check that every block they see
// holds one writer's byte throughout.
TEST_P(ConcurrencyTest, SameObjectWritesAreNeverTorn)
{
    constexpr size_t block = 4096, blocks = 64;
    ASSERT_TRUE(store->set_size(7, block * blocks).ok());
    std::atomic<bool> stop{false};
    std::atomic<unsigned> torn{0}, reads{0};
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < thread_count; ++t)
        threads.emplace_back([&, t] {
            std::vector<std::byte> data(block, static_cast<std::byte>(t + 1));
            for (unsigned round = 0; round < 200; ++round)
                for (size_t b = (round + t) % 2; b < blocks; b += 2)
                    if (!store->write(7, b * block, data).ok())
                        torn.fetch_add(1000);
        });
    std::thread reader([&] {
        std::vector<std::byte> out(block * blocks);
        // At least a few reads even if the writers finish before this thread
        // first runs (a loaded 2-core machine does that).
        while (!stop.load() || reads.load() < 8) {
            auto got = store->read(7, 0, out);
            if (!got.ok() || *got != out.size()) {
                torn.fetch_add(1000);
                continue;
            }
            for (size_t b = 0; b < blocks; ++b)
                for (size_t i = 1; i < block; ++i)
                    if (out[b * block + i] != out[b * block]) {
                        torn.fetch_add(1);
                        break;
                    }
            reads.fetch_add(1);
        }
    });
    for (auto& thread : threads)
        thread.join();
    stop.store(true);
    reader.join();
    EXPECT_EQ(torn.load(), 0u);
    EXPECT_GT(reads.load(), 0u);
    std::vector<std::byte> out(block * blocks);
    ASSERT_EQ(*store->read(7, 0, out), out.size());
    for (size_t b = 0; b < blocks; ++b)
        EXPECT_NE(out[b * block], std::byte{0}) << "block " << b << " never written";
}

OBJSTORE_BOTH_BACKENDS(ConcurrencyTest);

}  // namespace
}  // namespace ostd::objstore::test
