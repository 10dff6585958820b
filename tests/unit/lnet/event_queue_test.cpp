#include "lnet_core/event_queue.hpp"

#include <gtest/gtest.h>

#include <thread>

using namespace ostd::lnet;

TEST(EventQueue, DeliversInOrder)
{
    EventQueue eq(8);
    for (uint64_t i = 0; i < 5; ++i) {
        Event e;
        e.match_bits = i;
        ASSERT_TRUE(eq.try_post(e));
    }
    EXPECT_EQ(eq.depth(), 5u);
    Event out[8];
    ASSERT_EQ(eq.poll_burst(out), 5u);
    for (uint64_t i = 0; i < 5; ++i)
        EXPECT_EQ(out[i].match_bits, i);
    EXPECT_FALSE(eq.poll(out[0]));
}

TEST(EventQueue, FullQueueRefusesAndCountsAPushback)
{
    EventQueue eq(4);
    EXPECT_EQ(eq.capacity(), 4u);
    for (int i = 0; i < 4; ++i)
        ASSERT_TRUE(eq.try_post(Event{}));
    EXPECT_EQ(eq.free_slots(), 0u);
    EXPECT_FALSE(eq.try_post(Event{}));
    EXPECT_EQ(eq.pushbacks(), 1u);
    EXPECT_EQ(eq.posted(), 4u);
    Event e;
    ASSERT_TRUE(eq.poll(e));
    EXPECT_EQ(eq.free_slots(), 1u);
    EXPECT_TRUE(eq.try_post(Event{}));
}

TEST(EventQueue, CapacityRoundsUpToAPowerOfTwo)
{
    EXPECT_EQ(EventQueue(5).capacity(), 8u);
    EXPECT_EQ(EventQueue(0).capacity(), 2u);
}

// Across two threads every event arrives once, in order, none lost, even when
// the producer keeps hitting a full queue.
TEST(EventQueue, TwoThreadsLoseNothingAndKeepOrder)
{
    constexpr uint64_t total = 500000;
    EventQueue eq(64);
    std::thread producer([&] {
        for (uint64_t i = 0; i < total;) {
            Event e;
            e.match_bits = i;
            if (eq.try_post(e))
                ++i;
        }
    });
    uint64_t expected = 0;
    Event burst[16];
    while (expected < total) {
        size_t n = eq.poll_burst(burst);
        for (size_t i = 0; i < n; ++i)
            ASSERT_EQ(burst[i].match_bits, expected++);
    }
    producer.join();
    EXPECT_EQ(eq.posted(), total);
    EXPECT_FALSE(eq.poll(burst[0]));
}
