// Test helpers: a tiny LNET node on 127.0.0.1 that answers pings from a
// thread of its own, and a socket that swallows everything (nothing answers).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "client/udp_transport.hpp"
#include "lnet_core/ping_info.hpp"

namespace ostd::client::testing {

inline UdpTransportConfig loopback_config(uint16_t server_port, std::optional<lnet::Pid> pid = std::nullopt)
{
    UdpTransportConfig config;
    config.bind = SocketAddress{loopback_address, 0};
    config.server_port = server_port;
    config.pid = pid;
    return config;
}

inline std::unique_ptr<UdpTransport> open_loopback(uint16_t server_port, std::optional<lnet::Pid> pid = std::nullopt)
{
    auto transport = UdpTransport::open(loopback_config(server_port, pid));
    EXPECT_TRUE(transport) << (transport ? "" : transport.error().message());
    return transport ? std::move(transport.value()) : nullptr;
}

inline lnet::PingInfo sample_ping_info(size_t tcp_nis = 1)
{
    lnet::PingInfo info;
    info.pid = lnet::lustre_pid;
    info.nis.push_back({lnet::Nid::make(lnet::LndType::lolnd, 0, 0), lnet::ni_status_up, 0});
    for (size_t i = 0; i < tcp_nis; ++i)
        info.nis.push_back({lnet::Nid::tcp(loopback_address + static_cast<uint32_t>(i)),
                            i == 1 ? lnet::ni_status_down : lnet::ni_status_up, 1376});
    return info;
}

// Serves `content` to GETs on portal 0 with the ping match bits, as a Lustre
// node serves its ping info: pid 12345, wildcard ME, op GET, truncate.
class PingResponder {
public:
    explicit PingResponder(std::vector<std::byte> content = lnet::encode_ping_info(sample_ping_info()))
        : _content(std::move(content)), _transport(open_loopback(0, lnet::lustre_pid))
    {
        lnet::MdSpec md{_content, lnet::md_option::op_get | lnet::md_option::truncate | lnet::md_option::manage_remote,
                        lnet::threshold_infinite,
                        0, false, nullptr, 0};
        lnet::MatchSpec me{lnet::ping_portal, lnet::ProcessId::any(), lnet::ping_match_bits, 0};
        auto handle = _transport->endpoint().attach(me, md, lnet::Position::after, *_transport);
        EXPECT_TRUE(handle);
        _thread = std::thread([this] {
            while (!_stop.load(std::memory_order_relaxed))
                _transport->poll(std::chrono::milliseconds(5));
        });
    }
    ~PingResponder()
    {
        _stop = true;
        _thread.join();
    }

    uint16_t port() const { return _transport->local_address().port; }
    lnet::Nid nid() const { return _transport->self().nid; }
    // Counters are single-writer atomics: readable from the test thread.
    const lnet::EndpointCounters& counters() const { return _transport->endpoint().counters(); }

private:
    std::vector<std::byte> _content;
    std::unique_ptr<UdpTransport> _transport;
    std::atomic<bool> _stop{false};
    std::thread _thread;
};

// A bound port that never reads: datagrams sent there get no answer.
inline UdpSocket black_hole()
{
    auto sock = UdpSocket::open({loopback_address, 0});
    EXPECT_TRUE(sock);
    return std::move(sock.value());
}

// The responder's counters move on its own thread, a little after the client
// saw the answer: wait (bounded) for what must become true.
template <typename Predicate>
bool eventually(Predicate predicate, std::chrono::milliseconds limit = std::chrono::milliseconds(2000))
{
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!predicate()) {
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

inline std::span<const std::byte> as_bytes(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size())); }

}  // namespace ostd::client::testing
