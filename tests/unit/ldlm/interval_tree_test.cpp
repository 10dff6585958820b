#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <vector>

#include "ldlm/interval_tree.hpp"

namespace ostd::ldlm {
namespace {

struct Node : IntervalNode {};

class IntervalTreeTest : public ::testing::Test {
protected:
    Node& make(std::uint64_t start, std::uint64_t end) {
        auto n = std::make_unique<Node>();
        n->extent = {start, end};
        n->id = ++_next_id;
        _nodes.push_back(std::move(n));
        return *_nodes.back();
    }
    std::uint64_t _next_id = 0;
    std::vector<std::unique_ptr<Node>> _nodes;
    IntervalTree<Node> _tree;
};

std::vector<std::uint64_t> overlapping_ids(const IntervalTree<Node>& t, Extent e) {
    std::vector<std::uint64_t> ids;
    t.visit_overlapping(e, [&](const Node* n) {
        ids.push_back(n->id);
        return true;
    });
    std::sort(ids.begin(), ids.end());
    return ids;
}

TEST_F(IntervalTreeTest, FindsExactlyTheOverlappingIntervals) {
    _tree.insert(make(0, 9));
    _tree.insert(make(10, 19));
    _tree.insert(make(5, 100));
    _tree.insert(make(200, extent_eof));
    EXPECT_EQ(overlapping_ids(_tree, {9, 10}), (std::vector<std::uint64_t>{1, 2, 3}));
    EXPECT_EQ(overlapping_ids(_tree, {101, 199}), (std::vector<std::uint64_t>{}));
    EXPECT_EQ(overlapping_ids(_tree, {extent_eof, extent_eof}), (std::vector<std::uint64_t>{4}));
    EXPECT_TRUE(_tree.valid());
}

TEST_F(IntervalTreeTest, VisitStopsWhenTheCallbackSaysSo) {
    for (int i = 0; i < 10; ++i) _tree.insert(make(0, 100));
    int visits = 0;
    bool finished = _tree.visit_overlapping({0, 0}, [&](const Node*) { return ++visits < 3; });
    EXPECT_FALSE(finished);
    EXPECT_EQ(visits, 3);
}

TEST_F(IntervalTreeTest, FirstStartingAfterIsStrict) {
    _tree.insert(make(10, 20));
    _tree.insert(make(30, 40));
    ASSERT_NE(_tree.first_starting_after(9), nullptr);
    EXPECT_EQ(_tree.first_starting_after(9)->extent.start, 10u);
    EXPECT_EQ(_tree.first_starting_after(10)->extent.start, 30u);
    EXPECT_EQ(_tree.first_starting_after(30), nullptr);
}

TEST_F(IntervalTreeTest, EraseKeepsInvariantsAndSize) {
    Node& a = make(5, 6);
    Node& b = make(5, 60);  // same start: the id breaks the tie
    Node& c = make(1, 2);
    for (Node* n : {&a, &b, &c}) _tree.insert(*n);
    _tree.erase(b);
    EXPECT_EQ(_tree.size(), 2u);
    EXPECT_TRUE(_tree.valid());
    EXPECT_EQ(overlapping_ids(_tree, {7, 100}), (std::vector<std::uint64_t>{}));
    _tree.erase(a);
    _tree.erase(c);
    EXPECT_TRUE(_tree.empty());
}

TEST_F(IntervalTreeTest, DescendingCursorWalksHighestFirstAndPrunesLowEnds) {
    _tree.insert(make(0, 99));     // id 1: ends below 100, pruned
    _tree.insert(make(50, 150));   // id 2
    _tree.insert(make(200, 210));  // id 3
    _tree.insert(make(100, 100));  // id 4: ends exactly at min_end, kept
    std::vector<std::uint64_t> order;
    for (IntervalTreeBase::DescendingCursor c(_tree, 100); c.peek() != nullptr; c.advance())
        order.push_back(c.peek()->id);
    EXPECT_EQ(order, (std::vector<std::uint64_t>{3, 4, 2}));
}

// Against brute force, over random inserts and erases.
TEST_F(IntervalTreeTest, RandomOperationsMatchBruteForce) {
    std::mt19937_64 rng(42);
    std::vector<Node*> live;
    for (int step = 0; step < 4000; ++step) {
        if (live.empty() || rng() % 3 != 0) {
            std::uint64_t s = rng() % 1000;
            Node& n = make(s, s + rng() % 50);
            _tree.insert(n);
            live.push_back(&n);
        } else {
            std::size_t i = rng() % live.size();
            _tree.erase(*live[i]);
            live.erase(live.begin() + static_cast<std::ptrdiff_t>(i));
        }
        ASSERT_EQ(_tree.size(), live.size());
        if (step % 50 != 0) continue;
        ASSERT_TRUE(_tree.valid());
        std::uint64_t q = rng() % 1000;
        Extent e{q, q + rng() % 30};
        std::vector<std::uint64_t> expect;
        const Node* after = nullptr;
        for (Node* n : live) {
            if (n->extent.overlaps(e)) expect.push_back(n->id);
            if (n->extent.start > q && (after == nullptr || n->extent.start < after->extent.start))
                after = n;
        }
        std::sort(expect.begin(), expect.end());
        ASSERT_EQ(overlapping_ids(_tree, e), expect);
        const Node* got = _tree.first_starting_after(q);
        ASSERT_EQ(got == nullptr, after == nullptr);
        if (got != nullptr) {
            ASSERT_EQ(got->extent.start, after->extent.start);
        }
    }
}

}  // namespace
}  // namespace ostd::ldlm
