// The clients connected to this appliance (Lustre's exports): one per client
// UUID, named on the wire by a random 64-bit handle that every request after
// OST_CONNECT carries in pb_handle. Owned by the control core.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "lnet_core/nid.hpp"

namespace ostd::control {

struct Export {
    uint64_t handle = 0;
    std::string client_uuid;
    lnet::ProcessId peer;
    unsigned home_worker = 0;  // whose RX queue hears this client: ASTs go out there
    uint32_t conn_cnt = 0;
    std::chrono::steady_clock::time_point last_contact;
    bool evicted = false;      // refused until it reconnects
};

// What happened to an export, for those who keep a copy (the workers' views).
enum class ExportChange { connected, disconnected, evicted };

class ExportTable {
public:
    explicit ExportTable(uint64_t seed = std::random_device{}());

    // A first connect makes an export; a reconnect of the same UUID keeps its
    // handle, counts the connection and clears an eviction.
    Export& connect(const std::string& client_uuid, lnet::ProcessId peer, unsigned worker,
                    std::chrono::steady_clock::time_point now);
    // The live export a request names, or null (unknown or evicted handle).
    Export* find(uint64_t handle);
    const Export* find(uint64_t handle) const;
    bool disconnect(uint64_t handle);
    bool evict(uint64_t handle);
    Export* find_by_peer(lnet::Nid nid);

    size_t size() const { return _by_handle.size(); }
    // Told of every connect, disconnect and eviction, whoever made it (several watchers).
    void watch(std::function<void(const Export&, ExportChange)> watcher) { _watchers.push_back(std::move(watcher)); }
    void for_each(const std::function<void(const Export&)>& visit) const;

private:
    std::mt19937_64 _random;
    std::unordered_map<uint64_t, Export> _by_handle;
    std::unordered_map<std::string, uint64_t> _by_uuid;
    std::vector<std::function<void(const Export&, ExportChange)>> _watchers;
    void tell(const Export& changed, ExportChange change) const;
};

}  // namespace ostd::control
