// OST_CONNECT, OBD_PING and OST_DISCONNECT: how a client gets, keeps and
// gives back its export.
#pragma once

#include <functional>

#include "control/rpc/rpc_call.hpp"
#include "control/rpc/rpc_router.hpp"

namespace ostd::control {

// What the appliance answers in obd_connect_data.
struct ConnectPolicy {
    uint32_t version = 0x020f0000;        // speaks as Lustre 2.15
    uint32_t brw_size = 1u << 20;         // 1 MiB bulk per RPC
    uint64_t max_bytes = 1ull << 44;      // 16 TiB objects
};

class ConnectService : public RpcHandler {
public:
    ConnectService(ExportTable& exports, const ConnectPolicy& policy = {}) : _exports(exports), _policy(policy) {}

    void attach(RpcRouter& router);
    void serve(const RpcCall& call) override;

    // Told when an export goes away (disconnect): its locks are released.
    void on_disconnect(std::function<void(const Export&)> release) { _release = std::move(release); }

private:
    void connect(const RpcCall& call);

    ExportTable& _exports;
    ConnectPolicy _policy;
    std::function<void(const Export&)> _release;
};

}  // namespace ostd::control
