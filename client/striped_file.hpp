// A file striped over several appliances (DESIGN.md 7): one OstClient per
// appliance of the layout, one object per stripe. Each call is cut along
// the layout and each stripe's part goes to its own object through its
// appliance's client, which takes the locks on that object (per stripe, in
// object offsets) and keeps its writeback cache.
//
//   auto file = StripedFile::open(*layout, base_config);
//   (*file)->write(0, bytes);   // stripe 0's units to object 0, ...
//   (*file)->fsync();
//   (*file)->stat()->size;      // glimpses merged back to a file size
//
// One thread owns it, like its clients. While any client waits (a lock, a
// bulk, a reply), the others' ASTs are served too: a blocking AST from one
// appliance must not wait for a lock another appliance is granting us.
//
// Calls go stripe by stripe, in stripe order; a single caller does not move
// data to several appliances at once (several callers do).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "client/ladvise.hpp"
#include "client/layout.hpp"
#include "client/ost_client.hpp"

namespace ostd::client {

struct StripedStat {
    uint64_t size = 0;                  // the file's, merged from every stripe
    std::vector<uint64_t> object_sizes;  // per stripe: glimpsed, our unflushed data included
};

class StripedFile {
public:
    // Connects to every appliance of the layout: `base` with its server and
    // port replaced; a stripe on an appliance already connected shares that client.
    static lnet::Result<std::unique_ptr<StripedFile>, std::string> open(const Layout& layout,
                                                                         const OstClientConfig& base,
                                                                         OpenOptions options = {});
    ~StripedFile();  // each client flushes, cancels and disconnects, best effort
    StripedFile(const StripedFile&) = delete;
    StripedFile& operator=(const StripedFile&) = delete;

    lnet::Result<uint64_t, RpcError> write(uint64_t offset, std::span<const std::byte> data);
    // Bytes read: fewer than out.size() only at the end of the file. Holes
    // (a stripe's object shorter than the file) read as zeros.
    lnet::Result<uint64_t, RpcError> read(uint64_t offset, std::span<std::byte> out);
    // Flushes and syncs the stripes this file has written to (a stripe
    // object nobody has written does not exist yet: OST_SYNC would fail).
    lnet::Result<bool, RpcError> fsync();
    lnet::Result<StripedStat, RpcError> stat();
    lnet::Result<bool, RpcError> group_lock_flush(uint64_t gid);
    lnet::Result<bool, RpcError> disconnect();
    // Serves every client's ASTs for about timeout in all.
    lnet::Result<size_t, RpcError> progress(std::chrono::milliseconds timeout);

    // LOCKAHEAD of file extents: each becomes one object extent per stripe
    // it touches, sent to that stripe's appliance. A file extent's result is
    // the weakest of its stripes' (SENT over DIFFERENT over SAME). Errors as
    // ladvise's: -EINVAL, -EFBIG for 1024 file extents or more, or the first
    // failing stripe's. A stripe's one-byte share of an extent is not asked
    // for (an extent must be longer than one byte); its write takes its lock.
    // A file extent nothing was asked for reports SAME.
    lnet::Result<std::vector<LockaheadResult>, int> lockahead(LadviseMode mode, std::span<const LadviseExtent> extents,
                                                              uint64_t flags);
    // LOCKNOEXPAND on every stripe's object (flags: 0 or ladvise_flag::unset).
    lnet::Result<bool, int> locknoexpand(uint64_t flags);
    bool no_expand() const { return _objects.front().no_expand; }

    const Layout& layout() const { return _layout; }
    OstClient& client_of(uint32_t stripe) { return *_clients[_client_of[stripe]]; }
    const OpenObject& object(uint32_t stripe) const { return _objects[stripe]; }
    // The clients, one per appliance, in the order their first stripe comes.
    std::vector<OstClient*> clients();

private:
    StripedFile(const Layout& layout, OpenOptions options);
    void chain_poll_hooks();
    void serve_others(size_t waiting);
    RpcError on_stripe(uint32_t stripe, RpcError error) const;

    Layout _layout;
    std::vector<std::unique_ptr<OstClient>> _clients;
    std::vector<std::function<void()>> _own_hooks;  // each client's hook before ours
    std::vector<size_t> _client_of;                  // per stripe
    std::vector<OpenObject> _objects;                // per stripe
    std::vector<bool> _written;                      // per stripe: written through this file
    bool _serving_others = false;
};

}  // namespace ostd::client
