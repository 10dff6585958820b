#include "client/transport_error.hpp"

#include <cerrno>
#include <cstring>

namespace ostd::client {

std::string TransportError::message() const
{
    if (sys_errno == 0)
        return context;
    return context + ": " + std::strerror(sys_errno);
}

TransportError system_error(TransportErrc code, std::string context)
{
    return TransportError{code, errno, std::move(context)};
}

}  // namespace ostd::client
