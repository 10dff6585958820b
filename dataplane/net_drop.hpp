// Why a frame never reached LNET. Each is counted per worker; nothing is
// dropped without a reason.
#pragma once

#include <cstdint>
#include <string_view>

#include "lnet_core/reason_counters.hpp"

namespace ostd::dataplane {

enum class NetDrop : uint8_t {
    runt,                   // shorter than the headers it claims
    oversize,               // longer than the MTU allows
    not_our_mac,            // unicast to another station
    unsupported_ethertype,  // IPv6, VLAN, LLDP, ...
    arp_ignored,            // not an IPv4 request for our address
    bad_ip_header,          // version, header length, total length
    bad_ip_checksum,
    ip_fragment,            // LNET datagrams are never fragmented (DESIGN.md 4.1)
    not_our_address,
    unsupported_protocol,   // neither UDP nor ICMP
    icmp_ignored,           // ICMP other than echo request
    bad_udp_length,
    bad_udp_checksum,
    wrong_udp_port,
    source_not_allowed,     // outside the allowed client networks
    nid_spoofed,            // LNET src NID is not the datagram's source address
    tx_pool_empty,          // no mbuf to answer with
    no_route,               // an LNET message for a NID never heard from
    tx_queue_full,          // the TX ring refused a burst
    handoff_ring_full,      // another worker's inbox stayed full
    count_
};

inline constexpr size_t net_drop_count = static_cast<size_t>(NetDrop::count_);

std::string_view net_drop_name(NetDrop reason);

using NetDropCounters = lnet::ReasonCounters<NetDrop>;

}  // namespace ostd::dataplane
