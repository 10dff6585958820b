// What went wrong in the socket layer, with enough context to act on: the
// operation, the address involved and the errno text.
#pragma once

#include <cstdint>
#include <string>

namespace ostd::client {

enum class TransportErrc : uint8_t {
    socket,       // socket(2) failed
    bind,         // bind(2) failed
    route,        // no local address toward the peer (connect/getsockname)
    send,         // sendto(2) failed
    receive,      // recvfrom(2) or poll(2) failed
    unroutable,   // the NID is not a socklnd (IPv4) NID
    bad_config,   // a configuration that cannot work (e.g. no address for our NID)
};

struct TransportError {
    TransportErrc code = TransportErrc::socket;
    int sys_errno = 0;    // 0 when no system call is involved
    std::string context;  // "bind 127.0.0.1:988", "sendto 12345-10.0.0.1@tcp at 10.0.0.1:988"

    // "bind 127.0.0.1:988: Address already in use".
    std::string message() const;
};

// Builds an error from errno as it is now.
TransportError system_error(TransportErrc code, std::string context);

}  // namespace ostd::client
