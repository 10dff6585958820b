// LDLM flag bits (DESIGN.md section 6; wire values).
#pragma once

#include <cstdint>

namespace ostd::ldlm {

using LockFlags = std::uint32_t;

namespace flag {
inline constexpr LockFlags lock_changed = 0x1;    // reply: granted extent differs from request
inline constexpr LockFlags block_granted = 0x2;   // reply: the lock waits
inline constexpr LockFlags speculative = 0x10;    // fail on any conflict, never wait
inline constexpr LockFlags ast_sent = 0x20;       // a blocking AST went out for this lock
inline constexpr LockFlags block_nowait = 0x40000;  // fail only on a group conflict
inline constexpr LockFlags no_expansion = 0x20000000;  // grant exactly the request

// The flags a request may carry; anything else in a request is ignored.
inline constexpr LockFlags request_mask = speculative | block_nowait | no_expansion;
}  // namespace flag

}  // namespace ostd::ldlm
