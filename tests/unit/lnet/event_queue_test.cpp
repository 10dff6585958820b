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

// The data path writes events where they will be read: nothing is visible
// before publish(), and a full queue gives no slot and changes nothing.
TEST(EventQueue, ClaimedSlotIsSeenOnlyOncePublished)
{
    EventQueue eq(2);
    Event* slot = eq.claim();
    ASSERT_NE(slot, nullptr);
    slot->match_bits = 7;
    EXPECT_EQ(eq.depth(), 0u);
    EXPECT_TRUE(eq.peek(8).empty());
    eq.publish();
    ASSERT_NE(eq.claim(), nullptr);
    eq.publish();
    EXPECT_EQ(eq.claim(), nullptr);  // full
    EXPECT_EQ(eq.posted(), 2u);
    Event out;
    ASSERT_TRUE(eq.poll(out));
    EXPECT_EQ(out.match_bits, 7u);
    EXPECT_NE(eq.claim(), nullptr);  // room again
}

// peek() is contiguous: at the ring's end it stops short; poll_burst goes on
// from the start, in order.
TEST(EventQueue, PeekStopsAtTheRingsEndAndPollBurstWrapsInOrder)
{
    EventQueue eq(4);
    Event e;
    for (uint64_t i = 0; i < 2; ++i) {
        e.match_bits = i;
        ASSERT_TRUE(eq.try_post(e));
    }
    ASSERT_TRUE(eq.poll(e));
    ASSERT_TRUE(eq.poll(e));  // tail at 2
    for (uint64_t i = 2; i < 6; ++i) {
        e.match_bits = i;
        ASSERT_TRUE(eq.try_post(e));  // slots 2, 3, 0, 1
    }
    std::span<const Event> ready = eq.peek(8);
    ASSERT_EQ(ready.size(), 2u);  // slots 2 and 3
    EXPECT_EQ(ready[0].match_bits, 2u);
    EXPECT_EQ(ready[1].match_bits, 3u);
    EXPECT_EQ(eq.depth(), 4u);  // peeking frees nothing
    Event out[8];
    ASSERT_EQ(eq.poll_burst(out), 4u);
    for (uint64_t i = 0; i < 4; ++i)
        EXPECT_EQ(out[i].match_bits, i + 2);
    EXPECT_EQ(eq.depth(), 0u);
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
