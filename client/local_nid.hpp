// Who we are on the network: the local IPv4 address the kernel would use to
// reach a peer (the address of our NID), and the pid of a user-space LNET
// process.
#pragma once

#include "client/socket_address.hpp"
#include "client/transport_error.hpp"
#include "lnet_core/nid.hpp"
#include "lnet_core/result.hpp"

namespace ostd::client {

// LNET_PID_USERFLAG: set in the pid of every user-space LNET process, so that
// peers tell it from a kernel one (which uses 12345, lnet::lustre_pid).
inline constexpr lnet::Pid pid_user_flag = 0x80000000u;

// 0x80000000 | getpid(), as Lustre's user-space LNDs named themselves.
lnet::Pid user_pid();

// The source address of the route to peer: connects a scratch UDP socket
// (no packet is sent) and reads its local address.
lnet::Result<uint32_t, TransportError> local_address_toward(SocketAddress peer);

}  // namespace ostd::client
