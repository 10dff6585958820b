#include "lnet_core/unique_me_table.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <tuple>

#include "lnet_core/md_table.hpp"

using namespace ostd::lnet;

namespace {
UniqueKey key(uint64_t bits, uint32_t peer = 1, uint32_t portal = 4)
{
    return {Nid::tcp(0x0a000000 + peer).value, bits, 12345, portal};
}
}  // namespace

TEST(UniqueMeTable, FindsWhatWasInsertedAndNothingElse)
{
    UniqueMeTable table;
    table.find_or_insert(key(128)) = {7, 7};
    ASSERT_NE(table.find(key(128)), nullptr);
    EXPECT_EQ(table.find(key(128))->head, 7u);
    EXPECT_EQ(table.find(key(256)), nullptr);
    EXPECT_EQ(table.find(key(128, 2)), nullptr);      // other peer
    EXPECT_EQ(table.find(key(128, 1, 5)), nullptr);   // other portal
    UniqueKey other_pid = key(128);
    other_pid.pid = 12346;
    EXPECT_EQ(table.find(other_pid), nullptr);
}

TEST(UniqueMeTable, InsertOfAnExistingKeyReturnsItsChain)
{
    UniqueMeTable table;
    table.find_or_insert(key(1)) = {3, 4};
    UniqueChain& again = table.find_or_insert(key(1));
    EXPECT_EQ(again.head, 3u);
    EXPECT_EQ(table.size(), 1u);
}

TEST(UniqueMeTable, NewChainStartsEmpty)
{
    UniqueMeTable table;
    UniqueChain& chain = table.find_or_insert(key(9));
    EXPECT_EQ(chain.head, no_md);
    EXPECT_EQ(chain.tail, no_md);
}

TEST(UniqueMeTable, GrowsAndStaysAtMostHalfFull)
{
    UniqueMeTable table(16);
    for (uint32_t i = 0; i < 100000; ++i)
        table.find_or_insert(key(uint64_t{i} * 128, i % 300)) = {i, i};
    EXPECT_EQ(table.size(), 100000u);
    EXPECT_LE(table.size() * 2, table.capacity());
    for (uint32_t i = 0; i < 100000; i += 97)
        ASSERT_EQ(table.find(key(uint64_t{i} * 128, i % 300))->head, i);
}

// Random inserts and erases against std::map: backward-shift deletion must
// never lose or resurrect an entry.
TEST(UniqueMeTable, AgreesWithAReferenceMapUnderChurn)
{
    UniqueMeTable table(16);
    std::map<std::tuple<uint64_t, uint32_t>, uint32_t> reference;
    std::mt19937_64 rng(42);
    for (int step = 0; step < 200000; ++step) {
        uint64_t bits = rng() % 2000;  // small key space: many collisions and reuse
        uint32_t peer = static_cast<uint32_t>(rng() % 3);
        auto ref_key = std::make_tuple(bits, peer);
        if (rng() % 3 == 0 && reference.count(ref_key)) {
            table.erase(key(bits, peer));
            reference.erase(ref_key);
        } else {
            uint32_t value = static_cast<uint32_t>(step);
            table.find_or_insert(key(bits, peer)) = {value, value};
            reference[ref_key] = value;
        }
    }
    EXPECT_EQ(table.size(), reference.size());
    for (uint64_t bits = 0; bits < 2000; ++bits) {
        for (uint32_t peer = 0; peer < 3; ++peer) {
            auto it = reference.find({bits, peer});
            const UniqueChain* chain = table.find(key(bits, peer));
            if (it == reference.end())
                ASSERT_EQ(chain, nullptr) << bits << " " << peer;
            else
                ASSERT_TRUE(chain && chain->head == it->second) << bits << " " << peer;
        }
    }
}

TEST(UniqueMeTable, HashSpreadsXidsThatStepBy128)
{
    // 4096 xids of one peer into 8192 slots: a good mix leaves few collisions.
    std::vector<int> buckets(8192);
    for (uint64_t i = 0; i < 4096; ++i)
        ++buckets[UniqueMeTable::hash(key(0x5f000000 + i * 128)) & 8191];
    int occupied = 0;
    for (int b : buckets)
        occupied += b > 0;
    EXPECT_GT(occupied, 3000);  // a random function gives ~3222
}
