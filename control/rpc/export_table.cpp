#include "control/rpc/export_table.hpp"

namespace ostd::control {

ExportTable::ExportTable(uint64_t seed) : _random(seed) {}

Export& ExportTable::connect(const std::string& client_uuid, lnet::ProcessId peer, unsigned worker,
                             std::chrono::steady_clock::time_point now)
{
    auto known = _by_uuid.find(client_uuid);
    if (known != _by_uuid.end()) {
        Export& existing = _by_handle.at(known->second);
        existing.peer = peer;
        existing.home_worker = worker;
        existing.last_contact = now;
        existing.evicted = false;
        ++existing.conn_cnt;
        tell(existing, ExportChange::connected);
        return existing;
    }
    uint64_t handle;
    do
        handle = _random();
    while (handle == 0 || _by_handle.count(handle));
    Export& created = _by_handle[handle];
    created = Export{handle, client_uuid, peer, worker, 1, now, false};
    _by_uuid[client_uuid] = handle;
    tell(created, ExportChange::connected);
    return created;
}

Export* ExportTable::find(uint64_t handle)
{
    auto it = _by_handle.find(handle);
    return it == _by_handle.end() || it->second.evicted ? nullptr : &it->second;
}

const Export* ExportTable::find(uint64_t handle) const
{
    auto it = _by_handle.find(handle);
    return it == _by_handle.end() || it->second.evicted ? nullptr : &it->second;
}

bool ExportTable::disconnect(uint64_t handle)
{
    auto it = _by_handle.find(handle);
    if (it == _by_handle.end())
        return false;
    tell(it->second, ExportChange::disconnected);
    _by_uuid.erase(it->second.client_uuid);
    _by_handle.erase(it);
    return true;
}

bool ExportTable::evict(uint64_t handle)
{
    auto it = _by_handle.find(handle);
    if (it == _by_handle.end() || it->second.evicted)
        return false;
    it->second.evicted = true;
    tell(it->second, ExportChange::evicted);
    return true;
}

Export* ExportTable::find_by_peer(lnet::Nid nid)
{
    for (auto& [handle, exp] : _by_handle)
        if (exp.peer.nid == nid && !exp.evicted)
            return &exp;
    return nullptr;
}

void ExportTable::tell(const Export& changed, ExportChange change) const
{
    for (const auto& watcher : _watchers)
        watcher(changed, change);
}

void ExportTable::for_each(const std::function<void(const Export&)>& visit) const
{
    for (const auto& [handle, exp] : _by_handle)
        visit(exp);
}

}  // namespace ostd::control
