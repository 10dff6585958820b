// Intrusive interval tree of extents.
//
// Why a treap: it keeps the max-end augmentation trivially correct (only
// split and merge touch links, and both fix up the nodes they return), has
// no rebalancing cases to get wrong, and gives expected O(log K) insert,
// erase and search. Priorities are derived from the node's unique id, so the
// shape is deterministic and tests are reproducible.
//
// Nodes are ordered by (extent.start, id); each carries the largest end in
// its subtree, which prunes overlap searches and the glimpse walk.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "ldlm/extent.hpp"

namespace ostd::ldlm {

struct IntervalNode {
    Extent extent;
    std::uint64_t id = 0;  // unique tie-break (the lock cookie)
    std::uint64_t max_end = 0;
    std::uint64_t priority = 0;
    IntervalNode* left = nullptr;
    IntervalNode* right = nullptr;
};

class IntervalTreeBase {
public:
    IntervalTreeBase() = default;
    IntervalTreeBase(const IntervalTreeBase&) = delete;
    IntervalTreeBase& operator=(const IntervalTreeBase&) = delete;

    void insert(IntervalNode& node);
    void erase(IntervalNode& node);
    std::size_t size() const { return _size; }
    bool empty() const { return _size == 0; }

    // The node with the smallest start strictly greater than pos, if any.
    const IntervalNode* first_starting_after(std::uint64_t pos) const;

    // Calls fn(node) for nodes overlapping ext, in key order, until fn
    // returns false. Returns false when stopped early.
    template <class Fn>
    bool visit_overlapping(const Extent& ext, Fn&& fn) const {
        return visit_overlapping(_root, ext, fn);
    }

    // Calls fn(node) for every node in key order.
    template <class Fn>
    void visit_all(Fn&& fn) const {
        visit_all(_root, fn);
    }

    // Checks order, heap and max-end invariants; for tests.
    bool valid() const;

    // Walks nodes in descending key order, skipping (without visiting) every
    // subtree whose ends are all below min_end.
    class DescendingCursor {
    public:
        DescendingCursor(const IntervalTreeBase& tree, std::uint64_t min_end);
        const IntervalNode* peek() const { return _current; }
        void advance();

    private:
        void push_right_spine(const IntervalNode* n);
        std::vector<const IntervalNode*> _stack;
        const IntervalNode* _current = nullptr;
        std::uint64_t _min_end;
    };

private:
    template <class Fn>
    static bool visit_overlapping(const IntervalNode* n, const Extent& ext, Fn& fn) {
        if (n == nullptr || n->max_end < ext.start) return true;
        if (!visit_overlapping(n->left, ext, fn)) return false;
        if (n->extent.start > ext.end) return true;  // right subtree starts later still
        if (n->extent.overlaps(ext) && !fn(n)) return false;
        return visit_overlapping(n->right, ext, fn);
    }

    template <class Fn>
    static void visit_all(const IntervalNode* n, Fn& fn) {
        if (n == nullptr) return;
        visit_all(n->left, fn);
        fn(n);
        visit_all(n->right, fn);
    }

    IntervalNode* _root = nullptr;
    std::size_t _size = 0;
};

// Typed view for node types that derive from IntervalNode.
template <class T>
class IntervalTree : public IntervalTreeBase {
public:
    void insert(T& node) { IntervalTreeBase::insert(node); }
    void erase(T& node) { IntervalTreeBase::erase(node); }

    const T* first_starting_after(std::uint64_t pos) const {
        return static_cast<const T*>(IntervalTreeBase::first_starting_after(pos));
    }

    template <class Fn>
    bool visit_overlapping(const Extent& ext, Fn&& fn) const {
        return IntervalTreeBase::visit_overlapping(
            ext, [&](const IntervalNode* n) { return fn(static_cast<const T*>(n)); });
    }

    template <class Fn>
    void visit_all(Fn&& fn) const {
        IntervalTreeBase::visit_all([&](const IntervalNode* n) { fn(static_cast<const T*>(n)); });
    }
};

}  // namespace ostd::ldlm
