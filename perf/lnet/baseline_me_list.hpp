// BENCHMARK-ONLY BASELINE, not used by ostd: a Lustre-style list of
// heap-allocated ME nodes (struct lnet_me on a list_head), walked in order.
//
// Each node holds exactly what ostd's record holds (an ostd::lnet::Md: match
// id, bits, ignore bits and the MD state) and is checked by the same
// MatchTable::try_match, so a baseline built on this list differs from the
// real table only in its index structure. A node is two cache lines (links,
// then the one-line Md), as a Lustre walk touches two objects per entry: the
// lnet_me on the list and the lnet_libmd it checks first.
#pragma once

#include "lnet_core/match_table.hpp"

namespace ostd::perf::lnet {

using ostd::lnet::MatchRequest;
using ostd::lnet::MatchSpec;
using ostd::lnet::Md;
using ostd::lnet::MdSpec;
using ostd::lnet::Position;

struct BaselineMe {
    BaselineMe* next = nullptr;
    BaselineMe* prev = nullptr;
    Md md;
};

// The record an attach builds: the same describe_md that MatchTable uses.
inline Md baseline_md(const MatchSpec& me, const MdSpec& spec)
{
    Md md = ostd::lnet::describe_md(spec, &me);
    md.generation = 1;
    return md;
}

class BaselineMeList {
public:
    BaselineMeList() = default;
    BaselineMeList(const BaselineMeList&) = delete;
    BaselineMeList& operator=(const BaselineMeList&) = delete;
    ~BaselineMeList()
    {
        while (_head) {
            BaselineMe* next = _head->next;
            delete _head;
            _head = next;
        }
    }

    void insert(const Md& md, Position position)
    {
        auto* node = new BaselineMe{nullptr, nullptr, md};
        if (position == Position::before) {
            node->next = _head;
            (_head ? _head->prev : _tail) = node;
            _head = node;
        } else {
            node->prev = _tail;
            (_tail ? _tail->next : _head) = node;
            _tail = node;
        }
    }

    // The first ME that takes the message (or drops it), as lnet_mt_match_md.
    ostd::lnet::MatchOutcome match(const MatchRequest& request) const
    {
        for (const BaselineMe* node = _head; node; node = node->next) {
            ostd::lnet::MatchOutcome out = ostd::lnet::MatchTable::try_match(node->md, request);
            if (out.result != ostd::lnet::MatchResult::none)
                return out;
        }
        return {};
    }

private:
    BaselineMe* _head = nullptr;
    BaselineMe* _tail = nullptr;
};

}  // namespace ostd::perf::lnet
