// Memory descriptors (MDs) and the match entries (MEs) that expose them on a
// portal. In LNET an ME carries exactly one MD, so ostd keeps them in one
// record (md_table.hpp); the user-facing specs are here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "lnet_core/nid.hpp"

namespace ostd::lnet {

class EventQueue;

namespace md_option {
inline constexpr uint32_t op_put = 1u << 0;         // accepts incoming PUTs
inline constexpr uint32_t op_get = 1u << 1;         // accepts incoming GETs
inline constexpr uint32_t truncate = 1u << 2;       // a too-long message is cut, not dropped
inline constexpr uint32_t manage_remote = 1u << 3;  // the sender's offset is used
inline constexpr uint32_t max_size = 1u << 4;       // each message takes at most MdSpec::max_size
inline constexpr uint32_t ack_disable = 1u << 5;    // never send an ACK for PUTs into this MD
}  // namespace md_option

inline constexpr int32_t threshold_infinite = -1;

struct MdSpec {
    std::span<std::byte> buffer;       // owned by the caller, outlives the MD
    uint32_t options = 0;              // md_option bits
    int32_t threshold = threshold_infinite;  // operations left before exhausted
    uint32_t max_size = 0;             // with md_option::max_size
    bool auto_unlink = true;           // unlink when exhausted
    EventQueue* eq = nullptr;          // where its events go (none if null)
    uint64_t user_data = 0;            // handed back in every event
};

// What an incoming message must carry to reach the MD.
struct MatchSpec {
    uint32_t portal = 0;
    ProcessId match_id = ProcessId::any();  // NID_ANY / PID_ANY are wildcards
    uint64_t match_bits = 0;
    uint64_t ignore_bits = 0;

    // Only an exact entry (one peer, no ignore bits) may live on a unique portal.
    bool is_unique() const
    {
        return ignore_bits == 0 && !match_id.nid.is_any() && match_id.pid != pid_any;
    }
};

// before: head of the portal's list; after: tail; local: this core's list.
// Every core owns its own match table, so local is the tail of this core's.
enum class Position : uint8_t { before, after, local };

// A cookie naming an MD: generation (24 bits) | slot (32) | owner core (8).
// Never 0 and never all-ones, so it cannot be confused with "no handle".
struct MdHandle {
    uint64_t cookie = 0;

    static constexpr uint64_t make(uint32_t generation, uint32_t slot, uint8_t core)
    {
        return (uint64_t{generation & 0xffffffu} << 40) | (uint64_t{slot} << 8) | core;
    }
    constexpr uint8_t owner_core() const { return static_cast<uint8_t>(cookie); }
    constexpr uint32_t slot() const { return static_cast<uint32_t>(cookie >> 8); }
    constexpr uint32_t generation() const { return static_cast<uint32_t>(cookie >> 40); }
    constexpr bool valid() const { return cookie != 0; }
    friend constexpr bool operator==(MdHandle, MdHandle) = default;
};

// The owner core of the MD an ACK or REPLY names (for handing it to its owner).
constexpr uint8_t owner_core_of(uint64_t object_cookie) { return MdHandle{object_cookie}.owner_core(); }

}  // namespace ostd::lnet
