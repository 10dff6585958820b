#include "dataplane/net_drop.hpp"

namespace ostd::dataplane {

std::string_view net_drop_name(NetDrop reason)
{
    switch (reason) {
    case NetDrop::runt: return "runt";
    case NetDrop::oversize: return "oversize";
    case NetDrop::not_our_mac: return "not_our_mac";
    case NetDrop::unsupported_ethertype: return "unsupported_ethertype";
    case NetDrop::arp_ignored: return "arp_ignored";
    case NetDrop::bad_ip_header: return "bad_ip_header";
    case NetDrop::bad_ip_checksum: return "bad_ip_checksum";
    case NetDrop::ip_fragment: return "ip_fragment";
    case NetDrop::not_our_address: return "not_our_address";
    case NetDrop::unsupported_protocol: return "unsupported_protocol";
    case NetDrop::icmp_ignored: return "icmp_ignored";
    case NetDrop::bad_udp_length: return "bad_udp_length";
    case NetDrop::bad_udp_checksum: return "bad_udp_checksum";
    case NetDrop::wrong_udp_port: return "wrong_udp_port";
    case NetDrop::source_not_allowed: return "source_not_allowed";
    case NetDrop::nid_spoofed: return "nid_spoofed";
    case NetDrop::tx_pool_empty: return "tx_pool_empty";
    case NetDrop::no_route: return "no_route";
    case NetDrop::tx_queue_full: return "tx_queue_full";
    case NetDrop::handoff_ring_full: return "handoff_ring_full";
    case NetDrop::count_: break;
    }
    return "unknown";
}

}  // namespace ostd::dataplane
