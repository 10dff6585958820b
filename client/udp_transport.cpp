#include "client/udp_transport.hpp"

#include <algorithm>
#include <cerrno>
#include <thread>

#include "client/local_nid.hpp"
#include "lnet_core/frame.hpp"

namespace ostd::client {

namespace {

inline constexpr size_t udp_max_datagram = 65535;

// The endpoint's incarnation, part of every wire handle we give out: a reply
// meant for an earlier run of this process is refused as stale.
uint64_t new_interface_cookie()
{
    auto now = std::chrono::system_clock::now().time_since_epoch();
    uint64_t cookie = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count());
    return (cookie == 0 || cookie == ~uint64_t{0}) ? 1 : cookie;
}

lnet::Result<uint32_t, TransportError> nid_address(const UdpTransportConfig& config, SocketAddress bound)
{
    if (config.nid_address)
        return *config.nid_address;
    if (bound.address != 0)
        return bound.address;
    if (config.route_to)
        return local_address_toward({*config.route_to, config.server_port});
    return TransportError{TransportErrc::bad_config, 0,
                          "no address for our NID: bound to " + format_socket_address(bound) +
                              " and no peer to route toward"};
}

}  // namespace

lnet::Result<std::unique_ptr<UdpTransport>, TransportError> UdpTransport::open(const UdpTransportConfig& config)
{
    if (config.max_payload + lnet::frame_overhead > udp_max_datagram - 28)
        return TransportError{TransportErrc::bad_config, 0,
                              "max_payload " + std::to_string(config.max_payload) + " does not fit a UDP datagram"};
    auto socket = UdpSocket::open(config.bind);
    if (!socket)
        return socket.error();
    auto address = nid_address(config, socket->local());
    if (!address)
        return address.error();
    lnet::ProcessId self{lnet::Nid::tcp(*address, config.net_number), config.pid.value_or(user_pid())};
    return std::unique_ptr<UdpTransport>(new UdpTransport(config, std::move(socket.value()), self));
}

UdpTransport::UdpTransport(const UdpTransportConfig& config, UdpSocket socket, lnet::ProcessId self)
    : _socket(std::move(socket)),
      _eq(config.eq_capacity),
      _endpoint(lnet::EndpointConfig{self, new_interface_cookie(), 0, config.max_payload}),
      _peers(config.server_port),
      _rx_burst(config.rx_burst),
      _rx_buffer(udp_max_datagram),
      _tx_buffer(lnet::frame_overhead + config.max_payload),
      _loss(config.loss)
{
    set_rate_limit(config.tx_rate_bytes_per_s);
}

void UdpTransport::set_rate_limit(uint64_t bytes_per_s, uint64_t burst_bytes)
{
    _rate_bytes_per_s = bytes_per_s;
    if (burst_bytes == 0)
        burst_bytes = std::max<uint64_t>(64 * 1024, bytes_per_s / 200);
    _bucket_capacity = static_cast<double>(burst_bytes);
    _tokens = _bucket_capacity;
    _refilled = std::chrono::steady_clock::now();
}

void UdpTransport::throttle(size_t bytes)
{
    using namespace std::chrono;
    auto refill = [this] {
        auto now = steady_clock::now();
        _tokens = std::min(_bucket_capacity,
                           _tokens + duration<double>(now - _refilled).count() * static_cast<double>(_rate_bytes_per_s));
        _refilled = now;
    };
    refill();
    if (_tokens < static_cast<double>(bytes)) {
        _counters.tx_throttled.add();
        auto wait = duration<double>((static_cast<double>(bytes) - _tokens) / static_cast<double>(_rate_bytes_per_s));
        std::this_thread::sleep_for(duration_cast<nanoseconds>(wait));
        refill();
    }
    _tokens -= static_cast<double>(bytes);  // may go below 0 by a sleep's undershoot: repaid next time
}

bool UdpTransport::transmit(const lnet::LnetHeader& header, std::span<const std::byte> payload)
{
    auto to = _peers.find(header.destination());
    if (!to) {
        _counters.tx_unroutable.add();
        _last_send_error = TransportError{TransportErrc::unroutable, 0,
                                          "no IPv4 address for " + lnet::format_process_id(header.destination())};
        return false;
    }
    size_t length = lnet::encode_frame(header, payload, _tx_buffer);
    if (length == 0) {
        _counters.tx_errors.add();
        _last_send_error = TransportError{TransportErrc::send, EMSGSIZE,
                                          "encode for " + lnet::format_process_id(header.destination())};
        return false;
    }
    if (_rate_bytes_per_s != 0)
        throttle(length);
    if (_loss.tx.drop()) {
        _counters.tx_dropped.add();
        return true;  // lost on the way: the sender cannot tell
    }
    if (int err = _socket.send_to(std::span(_tx_buffer).first(length), *to); err != 0) {
        _counters.tx_errors.add();
        _last_send_error = TransportError{TransportErrc::send, err,
                                          "sendto " + lnet::format_process_id(header.destination()) + " at " +
                                              format_socket_address(*to)};
        return false;
    }
    _counters.tx_datagrams.add();
    _counters.tx_bytes.add(length);
    return true;
}

bool UdpTransport::offer(std::span<const std::byte> datagram, SocketAddress from)
{
    auto frame = lnet::decode_frame(datagram, _endpoint.config().max_payload);
    if (!frame || !frame->header)
        return _endpoint.receive(datagram, *this).status != lnet::ReceiveStatus::pushback;  // counts the drop or NOOP
    const lnet::LnetHeader& header = *frame->header;
    // Learn where the sender is before handling: a GET's REPLY goes out during
    // handle(). Only from messages meant for us.
    if (header.destination() == self())
        _peers.learn(header.source(), from);
    return _endpoint.handle(header, frame->payload, *this).status != lnet::ReceiveStatus::pushback;
}

lnet::Result<size_t, TransportError> UdpTransport::poll(std::chrono::milliseconds timeout)
{
    size_t taken = 0;
    if (!_held.empty()) {
        if (!offer(_held, _held_from))
            return taken;  // still full: the caller drains its event queues first
        _held.clear();
        ++taken;
    }
    if (taken == 0) {
        WaitStatus ready = _socket.wait_readable(timeout);
        if (ready == WaitStatus::error) {
            _counters.rx_errors.add();
            return system_error(TransportErrc::receive, "poll on " + format_socket_address(local_address()));
        }
        if (ready == WaitStatus::timeout)
            return taken;
    }
    while (taken < _rx_burst) {
        Received got = _socket.receive(_rx_buffer);
        if (got.sys_errno != 0) {
            _counters.rx_errors.add();
            errno = got.sys_errno;
            return system_error(TransportErrc::receive, "recvfrom on " + format_socket_address(local_address()));
        }
        if (!got.received)
            break;  // nothing more waiting
        _counters.rx_datagrams.add();
        _counters.rx_bytes.add(got.length);
        if (got.truncated)
            _counters.rx_truncated.add();
        if (_loss.rx.drop()) {
            _counters.rx_dropped.add();
            continue;  // lost on the way
        }
        auto datagram = std::span<const std::byte>(_rx_buffer).first(got.length);
        if (!offer(datagram, got.from)) {
            _counters.rx_held.add();
            _held.assign(datagram.begin(), datagram.end());
            _held_from = got.from;
            break;
        }
        ++taken;
    }
    return taken;
}

}  // namespace ostd::client
