// An IPv4 UDP socket (RAII over the fd), non-blocking: send one datagram,
// wait for one, take one. No LNET here: just the kernel calls and their errno.
#pragma once

#include <chrono>
#include <cstddef>
#include <span>

#include "client/socket_address.hpp"
#include "client/transport_error.hpp"
#include "lnet_core/result.hpp"

namespace ostd::client {

enum class WaitStatus : uint8_t { readable, timeout, error };

struct Received {
    bool received = false;   // false: nothing was waiting (or an error)
    size_t length = 0;
    SocketAddress from;
    int sys_errno = 0;   // non-zero: recvfrom failed
    bool truncated = false;  // the datagram was longer than the buffer
};

class UdpSocket {
public:
    UdpSocket() = default;
    UdpSocket(UdpSocket&& other) noexcept;
    UdpSocket& operator=(UdpSocket&& other) noexcept;
    UdpSocket(const UdpSocket&) = delete;
    UdpSocket& operator=(const UdpSocket&) = delete;
    ~UdpSocket();

    // port 0: an ephemeral port; address 0: every local address.
    static lnet::Result<UdpSocket, TransportError> open(SocketAddress bind_to);

    // 0 when sent, else the errno (EAGAIN/ENOBUFS: try later).
    int send_to(std::span<const std::byte> datagram, SocketAddress to);
    WaitStatus wait_readable(std::chrono::milliseconds timeout);
    // Never blocks: length 0 when nothing is waiting.
    Received receive(std::span<std::byte> buffer);

    SocketAddress local() const { return _local; }
    int fd() const { return _fd; }

private:
    explicit UdpSocket(int fd, SocketAddress local) : _fd(fd), _local(local) {}
    void close();

    int _fd = -1;
    SocketAddress _local;
};

}  // namespace ostd::client
