// libFuzzer target: an Ethernet frame as the worker receives it, through
// parse_packet and whatever it leads to (the in-place ARP and ICMP answers,
// the LNET datagram in the UDP payload).
// Input: one byte of switches (NIC checksum verdicts, allowed networks on/off),
// then the frame: the switches let the fuzzer past checksums it cannot forge.
#include "dataplane/packet.hpp"
#include "dataplane/checksum.hpp"
#include "lnet_core/frame.hpp"
#include "tests/fuzz/fuzz_check.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

using namespace ostd::dataplane;

namespace {

const std::vector<Ipv4Net> allowed_networks{{0x0a4d0000, 0xffffff00}};  // 10.77.0.0/24

LocalAddress local_address(bool restrict_sources)
{
    return {{{0x02, 0, 0, 0, 0, 1}}, 0x0a4d0001, 988, 1500, restrict_sources ? &allowed_networks : nullptr};
}

bool inside(std::span<const std::byte> part, std::span<const std::byte> whole)
{
    return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t switches = data[0];
    ChecksumHints hints{(switches & 1) != 0, (switches & 2) != 0};
    LocalAddress local = local_address((switches & 4) != 0);
    // A copy exactly the frame's size, so ASan sees any read past its end.
    std::vector<std::byte> frame(reinterpret_cast<const std::byte*>(data + 1),
                                 reinterpret_cast<const std::byte*>(data + size));

    ParsedPacket packet = parse_packet(frame, local, hints);
    switch (packet.kind) {
    case PacketKind::dropped:
        FUZZ_CHECK(packet.reason < NetDrop::count_);
        FUZZ_CHECK(!net_drop_name(packet.reason).empty());
        break;
    case PacketKind::lnet: {
        FUZZ_CHECK(packet.reason == NetDrop::count_);
        FUZZ_CHECK(inside(packet.payload, frame));
        FUZZ_CHECK(packet.payload.data() >= frame.data() + udp_headers_size);
        ostd::lnet::LnetHeader header;
        bool noop = false;
        (void)ostd::lnet::decode_frame(packet.payload, ostd::lnet::max_payload, header, noop);
        break;
    }
    case PacketKind::arp_request:
        make_arp_reply(frame, local);
        break;
    case PacketKind::icmp_echo: {
        size_t reply_length = make_icmp_echo_reply(frame);
        FUZZ_CHECK(reply_length <= frame.size());
        // The answer goes out as it is: its IPv4 header checksum must be right.
        FUZZ_CHECK(ipv4_header_checksum_ok(reinterpret_cast<const rte_ipv4_hdr*>(frame.data() + sizeof(rte_ether_hdr))));
        break;
    }
    }
    return 0;
}
