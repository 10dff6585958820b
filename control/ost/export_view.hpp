// A worker's read-only copy of the export table (the control core owns the
// table: control/rpc/export_table.hpp). The control core sends every change
// to every worker as a command, so a worker checks pb_handle without asking
// anyone. Beside each export, the replies of its last completed writes and
// punches, so that a resent request (same xid, RESENT) is answered again
// instead of being applied twice (DESIGN.md 4.4).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <unordered_map>
#include <vector>

#include "lnet_core/nid.hpp"

namespace ostd::control::ost {

struct CompletedRpc {
    uint64_t xid = 0;
    std::vector<std::byte> reply;  // the whole lustre_msg_v2, as sent
};

struct ExportEntry {
    lnet::ProcessId peer;
    std::deque<CompletedRpc> recent;  // newest last, at most ExportView::keep
};

class ExportView {
public:
    explicit ExportView(size_t keep = 16) : _keep(keep) {}

    // A (re)connect: a reconnecting client keeps its record of completed RPCs.
    void connected(uint64_t handle, lnet::ProcessId peer) { _exports[handle].peer = peer; }
    // Disconnect or eviction: requests naming it get -ENOTCONN.
    void gone(uint64_t handle) { _exports.erase(handle); }

    ExportEntry* find(uint64_t handle)
    {
        auto it = _exports.find(handle);
        return it == _exports.end() ? nullptr : &it->second;
    }
    size_t size() const { return _exports.size(); }

    // Keeps the reply of a completed RPC for a resend; the oldest goes first.
    void remember(ExportEntry& entry, uint64_t xid, std::vector<std::byte> reply) const
    {
        entry.recent.push_back({xid, std::move(reply)});
        while (entry.recent.size() > _keep)
            entry.recent.pop_front();
    }
    static const CompletedRpc* completed(const ExportEntry& entry, uint64_t xid)
    {
        for (const CompletedRpc& done : entry.recent)
            if (done.xid == xid)
                return &done;
        return nullptr;
    }

private:
    size_t _keep;
    std::unordered_map<uint64_t, ExportEntry> _exports;
};

}  // namespace ostd::control::ost
