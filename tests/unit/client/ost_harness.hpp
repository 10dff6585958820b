// Test helper: a MiniOst behind an in-test ptlrpc server (portals 28, 6,
// 17) and OstClients connected to it over 127.0.0.1.
#pragma once

#include "client/ost_client.hpp"
#include "tests/unit/client/mini_ost.hpp"

namespace ostd::client::testing {

struct OstHarness {
    MiniOst ost;
    PtlrpcServer server{ost.handler(), ost_portals};
    size_t lru_size = LockCacheConfig::default_lru_size;  // for the clients made after it is set

    std::unique_ptr<OstClient> client(std::chrono::milliseconds timeout = std::chrono::milliseconds(1000))
    {
        OstClientConfig config;
        config.server = server.id().nid;
        config.port = server.port();
        config.timeout = timeout;
        config.locks.grant_timeout = std::chrono::milliseconds(5000);
        config.locks.lru_size = lru_size;
        config.pid = lnet::Pid{0x80001000u + static_cast<uint32_t>(_clients++)};  // one LNET process per client
        auto client = OstClient::connect(config);
        EXPECT_TRUE(client) << (client ? "" : client.error());
        return client ? std::move(client.value()) : nullptr;
    }

private:
    size_t _clients = 0;
};

inline std::vector<std::byte> pattern(size_t length, uint32_t seed)
{
    std::vector<std::byte> out(length);
    uint32_t x = seed * 2654435761u + 1;
    for (auto& b : out) {
        x = x * 1664525u + 1013904223u;
        b = static_cast<std::byte>(x >> 24);
    }
    return out;
}

// Polls the client (serving its ASTs) until predicate holds or 3 s pass.
template <typename Predicate>
bool progress_until(OstClient& client, Predicate predicate)
{
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (!predicate()) {
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        client.progress(std::chrono::milliseconds(5));
    }
    return true;
}

// The extents of the speculative (lockahead) enqueues the server granted, in order.
inline std::vector<Extent> lockahead_grants(const MiniOst& ost)
{
    std::vector<Extent> out;
    bool speculative = false;
    for (const auto& e : ost.log()) {
        if (e.what == "enqueue")
            speculative = e.a & ptlrpc::ldlm_flag::speculative;
        else if (e.what == "grant" && speculative)
            out.push_back({e.a, e.b});
    }
    return out;
}

}  // namespace ostd::client::testing
