#include "client/local_nid.hpp"

#include <sys/socket.h>
#include <unistd.h>

namespace ostd::client {

lnet::Pid user_pid() { return pid_user_flag | static_cast<lnet::Pid>(::getpid()); }

lnet::Result<uint32_t, TransportError> local_address_toward(SocketAddress peer)
{
    std::string context = "route to " + format_socket_address(peer);
    int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return system_error(TransportErrc::socket, context + ": socket");
    sockaddr_in addr = peer.to_sockaddr();
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        TransportError error = system_error(TransportErrc::route, context);
        ::close(fd);
        return error;
    }
    socklen_t len = sizeof addr;
    int rc = ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    TransportError error = system_error(TransportErrc::route, context + ": getsockname");
    ::close(fd);
    if (rc != 0)
        return error;
    return SocketAddress::from_sockaddr(addr).address;
}

}  // namespace ostd::client
