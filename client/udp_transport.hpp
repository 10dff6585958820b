// LNET over a kernel UDP socket: the client's endpoint. It owns the socket,
// an lnet::Endpoint (our NID and pid) and the default event queue, and is the
// endpoint's TxSink: every outgoing message is encoded as one datagram and
// sent to the peer (see peer_addresses.hpp for where that is).
//
// Single owner, like an appliance core: one thread polls, attaches, sends and
// reads the events. Not movable (MDs point at its event queue): held by
// unique_ptr.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "client/datagram_loss.hpp"
#include "client/peer_addresses.hpp"
#include "client/udp_socket.hpp"
#include "lnet_core/counter.hpp"
#include "lnet_core/endpoint.hpp"

namespace ostd::client {

// A 1500-byte MTU less IPv4 (20), UDP (8) and the LNET frame (96): what the
// appliance accepts unfragmented by default (DESIGN.md 4.1, 4.4).
inline constexpr uint32_t default_max_payload = 1500 - 20 - 8 - lnet::frame_overhead;

struct UdpTransportConfig {
    SocketAddress bind;                     // address 0: any; port 0: ephemeral
    uint16_t server_port = lnet_port;       // where a peer not heard from is reached
    // Our NID's address: nid_address if set, else the bound address if not 0,
    // else the local address of the route toward route_to.
    std::optional<uint32_t> nid_address;
    std::optional<uint32_t> route_to;
    uint16_t net_number = 0;                // @tcp0; use the peer's
    std::optional<lnet::Pid> pid;           // default user_pid()
    size_t eq_capacity = 1024;
    uint32_t max_payload = default_max_payload;  // per datagram, both ways
    size_t rx_burst = 64;                   // datagrams taken per poll at most
    // Optional cap on the bytes of the datagrams we send (0: none). See
    // UdpTransport::set_rate_limit.
    uint64_t tx_rate_bytes_per_s = 0;
    // TEST ONLY: drop this fraction of datagrams each way (see datagram_loss.hpp).
    LossConfig loss;
};

struct TransportCounters {
    lnet::Counter rx_datagrams;
    lnet::Counter rx_bytes;
    lnet::Counter rx_errors;      // recvfrom/poll failures
    lnet::Counter rx_truncated;   // longer than the receive buffer (cannot happen with UDP's 64 KiB)
    lnet::Counter rx_held;        // pushed back by the endpoint, kept and offered again
    lnet::Counter tx_datagrams;
    lnet::Counter tx_bytes;
    lnet::Counter tx_errors;      // sendto failures
    lnet::Counter tx_unroutable;  // no IPv4 address for the destination NID
    lnet::Counter tx_throttled;   // sends that waited for the rate cap
    lnet::Counter tx_dropped;     // TEST ONLY: sends dropped on purpose (LossConfig)
    lnet::Counter rx_dropped;     // TEST ONLY: receives dropped on purpose (LossConfig)
};

class UdpTransport final : public lnet::TxSink {
public:
    static lnet::Result<std::unique_ptr<UdpTransport>, TransportError> open(const UdpTransportConfig& config);

    UdpTransport(const UdpTransport&) = delete;
    UdpTransport& operator=(const UdpTransport&) = delete;

    // TxSink: false (the endpoint pushes back) when the datagram cannot be
    // sent; last_send_error() says why.
    bool transmit(const lnet::LnetHeader& header, std::span<const std::byte> payload) override;

    // Waits up to timeout for datagrams and hands each to the endpoint (at
    // most rx_burst); returns how many the endpoint took (delivered, parked or
    // dropped and counted). Events land in the MDs' event queues.
    lnet::Result<size_t, TransportError> poll(std::chrono::milliseconds timeout);

    // A token bucket on outgoing datagram bytes (frame included): a send that
    // finds the bucket short sleeps until it has refilled. Off by default
    // (bytes_per_s 0). burst_bytes 0: the larger of 64 KiB and 5 ms of rate.
    // Models a client whose own link is slower than the server's.
    void set_rate_limit(uint64_t bytes_per_s, uint64_t burst_bytes = 0);
    uint64_t rate_limit() const { return _rate_bytes_per_s; }

    // TEST ONLY: from now on, drop datagrams as `loss` says (rates 0: none).
    // A dropped send is reported sent, as a lost datagram would be.
    void set_loss(const LossConfig& loss) { _loss = DatagramLoss(loss); }

    lnet::Endpoint& endpoint() { return _endpoint; }
    const lnet::Endpoint& endpoint() const { return _endpoint; }
    lnet::EventQueue& eq() { return _eq; }
    lnet::ProcessId self() const { return _endpoint.config().self; }
    SocketAddress local_address() const { return _socket.local(); }
    PeerAddresses& peers() { return _peers; }
    const TransportCounters& counters() const { return _counters; }
    const std::optional<TransportError>& last_send_error() const { return _last_send_error; }

private:
    UdpTransport(const UdpTransportConfig& config, UdpSocket socket, lnet::ProcessId self);
    // Offers one datagram to the endpoint; false if it pushed back.
    bool offer(std::span<const std::byte> datagram, SocketAddress from);

    UdpSocket _socket;
    lnet::EventQueue _eq;
    lnet::Endpoint _endpoint;
    PeerAddresses _peers;
    size_t _rx_burst;
    std::vector<std::byte> _rx_buffer;
    std::vector<std::byte> _tx_buffer;
    // A datagram the endpoint pushed back (EQ full): offered again first.
    std::vector<std::byte> _held;
    SocketAddress _held_from;
    TransportCounters _counters;
    std::optional<TransportError> _last_send_error;
    // The token bucket (rate 0: off).
    void throttle(size_t bytes);
    uint64_t _rate_bytes_per_s = 0;
    double _bucket_capacity = 0;
    double _tokens = 0;
    std::chrono::steady_clock::time_point _refilled;
    DatagramLoss _loss;
};

}  // namespace ostd::client
