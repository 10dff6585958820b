// The ladvise API on an open object (DESIGN.md 6): LOCKAHEAD asks for extent
// locks ahead of the I/O that will use them; LOCKNOEXPAND makes the file's
// ordinary I/O locks use NO_EXPANSION.
//
//   std::array<LadviseExtent, 2> blocks{{{0, 65535}, {131072, 196607}}};
//   auto results = lockahead(*client, file, LadviseMode::write, blocks, ladvise_flag::async);
//
// LOCKAHEAD, per extent: a lock this client already holds or is getting
// (granted, waiting or in flight; for WRITE a PW lock, for READ a PR or PW
// one) covering the extent gives SAME (identical extent) or DIFFERENT
// (covering, not identical). Otherwise, with ASYNC, a SPECULATIVE |
// NO_EXPANSION enqueue is sent and not waited for: SENT. Its reply is handled
// later from the client's poll; a refusal ("would block") drops the lock
// silently. Without ASYNC every result is SENT (0): a held lock is reused, or
// an ordinary NO_EXPANSION enqueue is sent and waited for (it may call
// others' locks back).
//
// Errors are negative errnos: -EINVAL (mode, flags, start >= end), -EFBIG
// (1024 extents or more), or, for a failure to send or wait, -EIO /
// -ETIMEDOUT / the server's status.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "client/ost_client.hpp"

namespace ostd::client {

enum class LadviseMode : uint32_t { read = 1, write = 2 };

namespace ladvise_flag {
inline constexpr uint64_t async = 1;  // lockahead: send, do not wait
inline constexpr uint64_t unset = 2;  // locknoexpand: switch it off
}  // namespace ladvise_flag

enum class LockaheadResult : int32_t { sent = 0, different = 1, same = 2 };

struct LadviseExtent {
    uint64_t start;
    uint64_t end;  // inclusive
};

inline constexpr size_t lockahead_max_extents = 1023;

lnet::Result<std::vector<LockaheadResult>, int> lockahead(OstClient& client, const OpenObject& file, LadviseMode mode,
                                                          std::span<const LadviseExtent> extents, uint64_t flags);

// flags: 0 (set) or ladvise_flag::unset; anything else is -EINVAL.
lnet::Result<bool, int> locknoexpand(OstClient& client, OpenObject& file, uint64_t flags);

std::string_view lockahead_result_name(LockaheadResult result);

// The negative errno for a failed RPC.
int rpc_errno(const RpcError& error);

}  // namespace ostd::client
