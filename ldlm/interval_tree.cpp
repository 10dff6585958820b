#include "ldlm/interval_tree.hpp"

#include <algorithm>

#include "ldlm/ids.hpp"

namespace ostd::ldlm {
namespace {

bool key_less(const IntervalNode* a, const IntervalNode* b) {
    if (a->extent.start != b->extent.start) return a->extent.start < b->extent.start;
    return a->id < b->id;
}

void update(IntervalNode* n) {
    std::uint64_t m = n->extent.end;
    if (n->left != nullptr) m = std::max(m, n->left->max_end);
    if (n->right != nullptr) m = std::max(m, n->right->max_end);
    n->max_end = m;
}

// Every key in a precedes every key in b.
IntervalNode* merge(IntervalNode* a, IntervalNode* b) {
    if (a == nullptr) return b;
    if (b == nullptr) return a;
    if (a->priority > b->priority) {
        a->right = merge(a->right, b);
        update(a);
        return a;
    }
    b->left = merge(a, b->left);
    update(b);
    return b;
}

// Splits t into keys < key and keys >= key.
void split(IntervalNode* t, const IntervalNode* key, IntervalNode*& lo, IntervalNode*& hi) {
    if (t == nullptr) {
        lo = hi = nullptr;
        return;
    }
    if (key_less(t, key)) {
        split(t->right, key, t->right, hi);
        lo = t;
    } else {
        split(t->left, key, lo, t->left);
        hi = t;
    }
    update(t);
}

IntervalNode* erase_from(IntervalNode* t, IntervalNode* target) {
    assert(t != nullptr && "erasing a node that is not in the tree");
    if (t == target) return merge(t->left, t->right);
    if (key_less(target, t))
        t->left = erase_from(t->left, target);
    else
        t->right = erase_from(t->right, target);
    update(t);
    return t;
}

bool subtree_valid(const IntervalNode* n, std::size_t& count) {
    if (n == nullptr) return true;
    ++count;
    std::uint64_t m = n->extent.end;
    for (const IntervalNode* c : {n->left, n->right}) {
        if (c == nullptr) continue;
        if (c->priority > n->priority) return false;
        m = std::max(m, c->max_end);
    }
    if (n->left != nullptr && !key_less(n->left, n)) return false;
    if (n->right != nullptr && !key_less(n, n->right)) return false;
    return m == n->max_end && subtree_valid(n->left, count) && subtree_valid(n->right, count);
}

}  // namespace

void IntervalTreeBase::insert(IntervalNode& node) {
    assert(node.extent.valid());
    node.left = node.right = nullptr;
    node.priority = mix64(node.id ^ 0x5bd1e995ULL);
    node.max_end = node.extent.end;
    IntervalNode* lo = nullptr;
    IntervalNode* hi = nullptr;
    split(_root, &node, lo, hi);
    _root = merge(merge(lo, &node), hi);
    ++_size;
}

void IntervalTreeBase::erase(IntervalNode& node) {
    assert(_size > 0);
    _root = erase_from(_root, &node);
    node.left = node.right = nullptr;
    --_size;
}

const IntervalNode* IntervalTreeBase::first_starting_after(std::uint64_t pos) const {
    const IntervalNode* best = nullptr;
    for (const IntervalNode* n = _root; n != nullptr;) {
        if (n->extent.start > pos) {
            best = n;
            n = n->left;
        } else {
            n = n->right;
        }
    }
    return best;
}

bool IntervalTreeBase::valid() const {
    std::size_t count = 0;
    return subtree_valid(_root, count) && count == _size;
}

IntervalTreeBase::DescendingCursor::DescendingCursor(const IntervalTreeBase& tree,
                                                     std::uint64_t min_end)
    : _min_end(min_end) {
    push_right_spine(tree._root);
    advance();
}

void IntervalTreeBase::DescendingCursor::push_right_spine(const IntervalNode* n) {
    for (; n != nullptr && n->max_end >= _min_end; n = n->right) _stack.push_back(n);
}

void IntervalTreeBase::DescendingCursor::advance() {
    _current = nullptr;
    while (!_stack.empty()) {
        const IntervalNode* n = _stack.back();
        _stack.pop_back();
        push_right_spine(n->left);  // visited after n: smaller keys
        if (n->extent.end >= _min_end) {
            _current = n;
            return;
        }
    }
}

}  // namespace ostd::ldlm
