// How the lock service sends ASTs (server -> client requests on the callback
// portal 15) and hears their replies (portal 16): through the client's home
// worker in ostd (ast_sender.hpp), a capture in tests.
//
// AST xids: the server draws them from its own space, top bit set
// (ast_xid_base | n, n = 1, 2, ...). Client xids are small counters that
// never reach 2^63, so an AST reply can never be taken for the reply to a
// client's own request, and the unique ME (client NID, pid, xid) on portal
// 16 names exactly one AST.
#pragma once

#include <cstdint>
#include <vector>

#include "lnet_core/nid.hpp"

namespace ostd::control {

inline constexpr uint64_t ast_xid_base = uint64_t{1} << 63;

struct AstTarget {
    lnet::ProcessId peer;  // the client, as its export knows it
    unsigned worker = 0;   // its home worker
};

class AstChannel {
public:
    virtual ~AstChannel() = default;
    // Sends request as a PUT to the client's portal 15 with match bits xid,
    // after posting where its reply (portal 16, same xid) will land. False
    // when it could not be queued (the worker's command ring was full).
    virtual bool send(const AstTarget& to, uint64_t xid, std::vector<std::byte> request) = 0;
    // No reply is awaited any more: release what send() posted for it.
    virtual void forget(const AstTarget& to, uint64_t xid) = 0;
};

}  // namespace ostd::control
