// Glimpse planning: who must be asked for a file's size (DESIGN.md section 6
// and the lockahead design, 5.C).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "ldlm/ids.hpp"
#include "ldlm/lvb.hpp"

namespace ostd::ldlm {

class Resource;

struct GlimpseTarget {
    ClientId client;
    LockHandle lock;
    std::uint64_t client_handle = 0;
    friend bool operator==(const GlimpseTarget&, const GlimpseTarget&) = default;
};

enum class GlimpseDecision : std::uint8_t {
    grant,        // a PR [0, EOF] lock is grantable now: grant it, reply with the LVB
    answer_lvb,   // not grantable, but no writer can know more: reply "aborted" with the LVB
    glimpse,      // send one glimpse AST per target, then merge the answers
};

struct GlimpsePlan {
    GlimpseDecision decision = GlimpseDecision::grant;
    Lvb lvb;                              // the server's own value block
    std::vector<GlimpseTarget> targets;   // highest lock first, one per client
    friend bool operator==(const GlimpsePlan&, const GlimpsePlan&) = default;
};

// Walks the granted write-mode locks from the highest extent down, skipping
// those that end below the known size, naming each client once, and stopping
// after the first lock without NO_EXPANSION (an "active" lock: its holder
// knows the size). Cost: O(log K + locks ending at or above the size).
GlimpsePlan plan_glimpse(const Resource& res);

// The size (and times) to reply with: the maximum of the server's and all
// answers.
Lvb merge_glimpse(const Lvb& server, std::span<const Lvb> answers);

}  // namespace ostd::ldlm
