#include "client/ost_client.hpp"

namespace ostd::client {

namespace mode = ptlrpc::lock_mode;

namespace {

UdpTransportConfig transport_config(const OstClientConfig& config)
{
    UdpTransportConfig transport;
    transport.server_port = config.port;
    transport.route_to = config.server.address();
    transport.net_number = config.server.net_number();
    transport.nid_address = config.nid_address;
    transport.pid = config.pid;
    transport.loss = config.loss;
    return transport;
}

Extent extent_of(uint64_t offset, uint64_t length)
{
    return {offset, length == 0 ? offset : offset + length - 1};
}

// Gives a lock back to the cache when the operation is over.
struct LockUse {
    LockCache& cache;
    ClientLock& lock;
    ~LockUse() { cache.release(lock); }
};

}  // namespace

lnet::Result<std::unique_ptr<OstClient>, std::string> OstClient::connect(const OstClientConfig& config)
{
    auto transport = UdpTransport::open(transport_config(config));
    if (!transport)
        return transport.error().message();
    std::unique_ptr<OstClient> client(new OstClient(std::move(transport.value()), config));
    if (auto installed = client->_callbacks.install(); !installed)
        return std::string("cannot post the callback buffers on portal 15");
    auto connection = client->_session.connect();
    if (!connection)
        return connection.error().detail;
    if (connection->data.brw_size != 0)
        client->_io.set_brw_size(connection->data.brw_size);
    return client;
}

OstClient::OstClient(std::unique_ptr<UdpTransport> transport, const OstClientConfig& config)
    : _transport(std::move(transport)),
      _rpc(*_transport, RpcClientConfig{.server = {config.server, config.server_pid},
                                        .timeout = config.timeout,
                                        .resends = config.resends}),
      _session(_rpc, config.session),
      _io(_rpc),
      _locks(_rpc, config.locks),
      _cache(_io, config.writeback),
      _callbacks(*_transport, _locks)
{
    _locks.set_flusher([this](const ClientLock& lock) { return _cache.flush(lock); });
    _locks.set_size_source([this](ObjectId object) {
        auto it = _known_size.find(object);
        return std::max(it == _known_size.end() ? 0 : it->second, _cache.dirty_end(object));
    });
}

OstClient::~OstClient()
{
    if (_session.connected())
        disconnect();
    _rpc.set_poll_hook({});
}

uint32_t OstClient::lock_flags(const OpenObject& file) const
{
    return file.no_expand ? ptlrpc::ldlm_flag::no_expansion : 0;
}

lnet::Result<uint64_t, RpcError> OstClient::write(const OpenObject& file, uint64_t offset,
                                                  std::span<const std::byte> data)
{
    auto lock = _locks.acquire(file.object, mode::pw, extent_of(offset, data.size()), lock_flags(file));
    if (!lock)
        return lock.error();
    LockUse use{_locks, **lock};
    _cache.add(use.lock, offset, data);
    uint64_t& known = _known_size[file.object];
    known = std::max(known, offset + data.size());
    if (_cache.over_limit(use.lock))
        if (auto flushed = _cache.flush(use.lock); !flushed)
            return flushed.error();
    return data.size();
}

lnet::Result<uint64_t, RpcError> OstClient::read(const OpenObject& file, uint64_t offset, std::span<std::byte> out)
{
    auto lock = _locks.acquire(file.object, mode::pr, extent_of(offset, out.size()), lock_flags(file));
    if (!lock)
        return lock.error();
    LockUse use{_locks, **lock};
    auto got = _io.read(file.object, offset, out, use.lock.server_handle);
    if (!got)
        return got.error();
    return _cache.overlay(file.object, offset, out, *got);
}

lnet::Result<bool, RpcError> OstClient::flush_object(ObjectId object)
{
    for (;;) {
        auto dirty = _cache.dirty_locks(&object);
        if (dirty.empty())
            return true;
        ClientLock* lock = _locks.find(dirty.front());
        if (!lock)
            return RpcError{RpcErrc::unknown_call, "dirty data under a lock we no longer hold", std::nullopt, 0};
        ++lock->users;  // not cancelled under our feet while the flush polls
        LockUse use{_locks, *lock};
        if (auto flushed = _cache.flush(*lock); !flushed)
            return flushed.error();
    }
}

lnet::Result<bool, RpcError> OstClient::fsync(const OpenObject& file)
{
    if (auto flushed = flush_object(file.object); !flushed)
        return flushed;
    auto synced = _io.sync(file.object);
    if (!synced)
        return synced.error();
    return true;
}

lnet::Result<ObjectStat, RpcError> OstClient::stat(const OpenObject& file)
{
    auto glimpse = _locks.glimpse(file.object);
    if (!glimpse)
        return glimpse.error();
    ObjectStat stat;
    stat.server_size = glimpse->size;
    stat.dirty_end = _cache.dirty_end(file.object);
    stat.lock_granted = glimpse->lock_granted;
    stat.size = std::max(stat.server_size, stat.dirty_end);
    return stat;
}

lnet::Result<bool, RpcError> OstClient::punch(const OpenObject& file, uint64_t start, uint64_t end)
{
    auto lock = _locks.acquire(file.object, mode::pw, {start, end}, lock_flags(file));
    if (!lock)
        return lock.error();
    LockUse use{_locks, **lock};
    if (auto flushed = flush_object(file.object); !flushed)
        return flushed;
    auto punched = _io.punch(file.object, start, end, use.lock.server_handle);
    if (!punched)
        return punched.error();
    if (end == object_eof) {
        _known_size[file.object] = start;
        for (ClientLock lock_copy : _locks.snapshot())
            if (ClientLock* held = _locks.find(lock_copy.cookie); held && held->object == file.object)
                held->lvb.size_ = std::min(held->lvb.size_, start);
    }
    return true;
}

lnet::Result<bool, RpcError> OstClient::close(const OpenObject& file) { return flush_object(file.object); }

lnet::Result<bool, RpcError> OstClient::disconnect()
{
    lnet::Result<bool, RpcError> result = true;
    for (uint64_t cookie : _cache.dirty_locks())
        if (ClientLock* lock = _locks.find(cookie))
            if (auto flushed = _cache.flush(*lock); !flushed && result)
                result = flushed.error();
    if (auto cancelled = _locks.cancel_all(); !cancelled && result)
        result = cancelled.error();
    if (auto gone = _session.disconnect(); !gone && result)
        result = gone.error();
    return result;
}

lnet::Result<bool, RpcError> OstClient::group_lock_flush(const OpenObject& file, uint64_t gid)
{
    if (auto flushed = flush_object(file.object); !flushed)
        return flushed;
    auto lock = _locks.acquire_group(file.object, gid);
    if (!lock)
        return lock.error();
    uint64_t cookie = (*lock)->cookie;
    _locks.release(**lock);
    return _locks.cancel(cookie);
}

lnet::Result<size_t, RpcError> OstClient::progress(std::chrono::milliseconds timeout) { return _rpc.poll(timeout); }

}  // namespace ostd::client
