// The client as a user sees it (DESIGN.md 7): connect to one OST, open
// objects, write (into the writeback cache, under a PW lock), read (under a
// PR lock, our dirty bytes laid over the OST's), fsync, stat (glimpse,
// together with the size we know), punch, close, and the locks held.
//
//   auto client = OstClient::connect({.server = nid, .port = 988});
//   OpenObject file = (*client)->open({.id = 7}, {.no_expand = true});
//   (*client)->write(file, 0, bytes); (*client)->fsync(file);
//
// One thread owns it. ASTs are answered whenever it polls: inside any call,
// or in progress() when idle.
#pragma once

#include <chrono>
#include <memory>
#include <span>
#include <string>

#include "client/callback_service.hpp"
#include "client/lock_cache.hpp"
#include "client/object_io.hpp"
#include "client/ost_session.hpp"
#include "client/writeback.hpp"

namespace ostd::client {

struct OstClientConfig {
    lnet::Nid server;
    uint16_t port = lnet_port;
    lnet::Pid server_pid = lnet::lustre_pid;
    std::chrono::milliseconds timeout{1000};  // per RPC attempt
    unsigned resends = 3;
    SessionOptions session;
    LockCacheConfig locks;
    WritebackConfig writeback;
    std::optional<uint32_t> nid_address;      // our NID (default: the route toward the server)
    std::optional<lnet::Pid> pid;             // ours (default user_pid(); two clients in one process need two)
    LossConfig loss;                          // TEST ONLY: datagrams dropped on purpose (datagram_loss.hpp)
};

struct OpenOptions {
    bool no_expand = false;  // this file's locks use NO_EXPANSION
};

struct OpenObject {
    ObjectId object;
    bool no_expand = false;
};

struct ObjectStat {
    uint64_t size = 0;
    uint64_t server_size = 0;  // the glimpse's answer
    uint64_t dirty_end = 0;    // our unflushed data
    bool lock_granted = false;
};

class OstClient {
public:
    static lnet::Result<std::unique_ptr<OstClient>, std::string> connect(const OstClientConfig& config);
    ~OstClient();  // flushes, cancels and disconnects, best effort

    OpenObject open(ObjectId object, OpenOptions options = {}) { return {object, options.no_expand}; }
    void set_no_expand(OpenObject& file, bool on) { file.no_expand = on; }

    lnet::Result<uint64_t, RpcError> write(const OpenObject& file, uint64_t offset, std::span<const std::byte> data);
    lnet::Result<uint64_t, RpcError> read(const OpenObject& file, uint64_t offset, std::span<std::byte> out);
    lnet::Result<bool, RpcError> fsync(const OpenObject& file);
    lnet::Result<ObjectStat, RpcError> stat(const OpenObject& file);
    lnet::Result<bool, RpcError> punch(const OpenObject& file, uint64_t start, uint64_t end = object_eof);
    lnet::Result<bool, RpcError> close(const OpenObject& file);  // flushes; locks stay cached
    // Flushes everything, cancels every lock, disconnects.
    lnet::Result<bool, RpcError> disconnect();

    // Takes a whole-file GROUP lock of group `gid` (waiting while others'
    // locks are called back) and drops it at once: every other lock on the
    // object, ours included, is flushed and cancelled on the way.
    lnet::Result<bool, RpcError> group_lock_flush(const OpenObject& file, uint64_t gid);

    // Serves ASTs (and the cancels they ask for) for up to timeout.
    lnet::Result<size_t, RpcError> progress(std::chrono::milliseconds timeout);

    LockCache& locks() { return _locks; }
    WritebackCache& cache() { return _cache; }
    ObjectIo& io() { return _io; }
    RpcClient& rpc() { return _rpc; }
    UdpTransport& transport() { return *_transport; }
    const CallbackService& callbacks() const { return _callbacks; }
    const Connection& connection() const { return *_session.connection(); }

private:
    OstClient(std::unique_ptr<UdpTransport> transport, const OstClientConfig& config);
    lnet::Result<bool, RpcError> flush_object(ObjectId object);
    uint32_t lock_flags(const OpenObject& file) const;

    std::unique_ptr<UdpTransport> _transport;
    RpcClient _rpc;
    OstSession _session;
    ObjectIo _io;
    LockCache _locks;
    WritebackCache _cache;
    CallbackService _callbacks;
    std::map<ObjectId, uint64_t> _known_size;  // from our own writes
};

}  // namespace ostd::client
