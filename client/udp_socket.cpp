#include "client/udp_socket.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace ostd::client {

UdpSocket::UdpSocket(UdpSocket&& other) noexcept
    : _fd(std::exchange(other._fd, -1)), _local(other._local)
{
}

UdpSocket& UdpSocket::operator=(UdpSocket&& other) noexcept
{
    if (this != &other) {
        close();
        _fd = std::exchange(other._fd, -1);
        _local = other._local;
    }
    return *this;
}

UdpSocket::~UdpSocket() { close(); }

void UdpSocket::close()
{
    if (_fd >= 0)
        ::close(_fd);
    _fd = -1;
}

lnet::Result<UdpSocket, TransportError> UdpSocket::open(SocketAddress bind_to)
{
    int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return system_error(TransportErrc::socket, "socket(AF_INET, SOCK_DGRAM)");
    UdpSocket sock(fd, bind_to);  // closes fd on every error path below
    sockaddr_in addr = bind_to.to_sockaddr();
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
        return system_error(TransportErrc::bind, "bind " + format_socket_address(bind_to));
    socklen_t len = sizeof addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        return system_error(TransportErrc::bind, "getsockname after bind " + format_socket_address(bind_to));
    sock._local = SocketAddress::from_sockaddr(addr);
    return sock;
}

int UdpSocket::send_to(std::span<const std::byte> datagram, SocketAddress to)
{
    sockaddr_in addr = to.to_sockaddr();
    for (;;) {
        ssize_t n = ::sendto(_fd, datagram.data(), datagram.size(), MSG_DONTWAIT,
                             reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
        if (n >= 0)
            return 0;
        if (errno != EINTR)
            return errno;
    }
}

WaitStatus UdpSocket::wait_readable(std::chrono::milliseconds timeout)
{
    pollfd pfd{_fd, POLLIN, 0};
    int ms = static_cast<int>(std::max<std::chrono::milliseconds::rep>(timeout.count(), 0));
    int n = ::poll(&pfd, 1, ms);
    if (n > 0)
        return WaitStatus::readable;
    if (n == 0 || errno == EINTR)
        return WaitStatus::timeout;
    return WaitStatus::error;
}

Received UdpSocket::receive(std::span<std::byte> buffer)
{
    Received out;
    sockaddr_in from{};
    socklen_t len = sizeof from;
    for (;;) {
        ssize_t n = ::recvfrom(_fd, buffer.data(), buffer.size(), MSG_DONTWAIT | MSG_TRUNC,
                               reinterpret_cast<sockaddr*>(&from), &len);
        if (n >= 0) {
            out.received = true;
            out.truncated = static_cast<size_t>(n) > buffer.size();
            out.length = std::min(static_cast<size_t>(n), buffer.size());
            out.from = SocketAddress::from_sockaddr(from);
            return out;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            out.sys_errno = errno;
        return out;
    }
}

}  // namespace ostd::client
