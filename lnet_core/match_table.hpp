// One core's 64 portals and the MDs exposed on them: what an incoming PUT or
// GET matches (DESIGN.md section 5, lib-ptl.c's rules).
//
// Matching is split in two: match() only looks, commit() consumes. The caller
// can therefore push back (an event queue is full) with nothing changed.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "lnet_core/lnet_header.hpp"
#include "lnet_core/md_table.hpp"
#include "lnet_core/memory_descriptor.hpp"
#include "lnet_core/result.hpp"
#include "lnet_core/unique_me_table.hpp"

namespace ostd::lnet {

// Decided by the first ME attached, then enforced (and kept: a portal's role
// in a service does not change while the node runs).
enum class PortalKind : uint8_t { unset, wildcard, unique };

enum class AttachError : uint8_t {
    bad_portal,         // index >= 64
    wrong_portal_kind,  // unique ME on a wildcard portal or the reverse
    bad_md,             // threshold < -1, max_size of 0 or beyond the buffer
};

enum class MatchResult : uint8_t { ok, none, drop };

struct MatchRequest {
    MsgType op = MsgType::put;  // put or get
    ProcessId initiator;
    uint32_t portal = 0;
    uint64_t match_bits = 0;
    uint32_t rlength = 0;   // bytes the message brings (PUT) or wants (GET)
    uint32_t roffset = 0;   // the sender's offset, used by manage_remote MDs
};

// One match prepared ahead of time, in stages, so a burst's cache misses
// overlap instead of queueing: plan() hashes the unique key and fetches its
// slot, locate() finds the chain head and fetches its MD, match() uses it. A
// located head is used only while the table's layout is unchanged (no attach
// or unlink since): an earlier match of the burst may have unlinked it.
struct MatchPlan {
    MatchRequest request;
    uint64_t key_hash = 0;
    uint32_t head = no_md;
    uint32_t layout = 0;  // the table's layout version when located
    bool unique = false;  // on a unique portal: hashed
    bool located = false;
};

struct MatchOutcome {
    MatchResult result = MatchResult::none;
    uint32_t slot = no_md;
    uint32_t offset = 0;   // where in the MD the message lands (or is read)
    uint32_t mlength = 0;  // how many bytes
};

class MatchTable {
public:
    explicit MatchTable(uint8_t owner_core = 0, size_t unique_capacity = 1024);

    Result<MdHandle, AttachError> attach(const MatchSpec& me, const MdSpec& md, Position position);
    // An MD on no portal: the source of a PUT or the sink of a GET.
    Result<MdHandle, AttachError> bind(const MdSpec& md);
    bool unlink(MdHandle handle);  // false if stale
    void unlink_slot(uint32_t slot);

    MatchOutcome match(const MatchRequest& request) const;
    // The staged form (MatchPlan): plan each message of a burst as it is
    // decoded, locate them all, then match them one by one, in order, since
    // each match may change an MD.
    void plan(MatchPlan& plan) const;
    void locate(MatchPlan& plan) const;
    MatchOutcome match(const MatchPlan& plan) const;
    // The three stages over a burst of requests (benchmarks, tests).
    void match_burst(std::span<const MatchRequest> requests, std::span<MatchOutcome> outcomes) const;

    // The one-MD rule, in DESIGN.md's order: exhausted, op, match bits (with
    // ignore bits), pid, NID, size (too long without truncate drops).
    static MatchOutcome try_match(const Md& md, const MatchRequest& request);

    // Consumes one operation of a matched MD (threshold, local offset) and
    // auto-unlinks it when exhausted; true if it was unlinked.
    bool commit(const MatchOutcome& outcome);
    // Consumes one operation of an MD for a SEND, ACK or REPLY.
    bool consume(uint32_t slot);

    bool set_lazy(uint32_t portal, bool lazy);  // false on a unique portal
    bool lazy(uint32_t portal) const { return _portals[portal].lazy; }
    PortalKind kind(uint32_t portal) const { return _portals[portal].kind; }
    size_t entries(uint32_t portal) const { return _portals[portal].entries; }

    MdTable& mds() { return _mds; }
    const MdTable& mds() const { return _mds; }
    const UniqueMeTable& unique_index() const { return _unique; }

private:
    struct List {
        uint32_t head = no_md;
        uint32_t tail = no_md;
    };
    struct Portal {
        PortalKind kind = PortalKind::unset;
        bool lazy = false;
        size_t entries = 0;
        List ignoring;  // wildcard MEs with ignore bits: searched first
        List exact;     // the other wildcard MEs
    };

    static UniqueKey key_of(const Md& md)
    {
        return {md.match_nid.value, md.match_bits, md.match_pid, md.portal};
    }
    // The key a message looks up: the one its ME was attached under.
    static UniqueKey key_of(const MatchRequest& request)
    {
        return {request.initiator.nid.value, request.match_bits, request.initiator.pid, request.portal};
    }
    List& list_of(const Md& md);
    void link(List& list, uint32_t slot, Position position);
    void unlink_from(List& list, uint32_t slot);
    MatchOutcome match_chain(uint32_t head, const MatchRequest& request) const;

    MdTable _mds;
    UniqueMeTable _unique;
    uint32_t _layout = 0;  // bumped by every attach and unlink: invalidates located plans
    std::array<Portal, portal_count> _portals{};
};

}  // namespace ostd::lnet
