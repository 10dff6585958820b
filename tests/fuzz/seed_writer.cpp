// Writes the seed corpora of the binary fuzz targets with ostd's own
// encoders, so every seed is a well-formed input the fuzzer mutates from:
//   fuzz_seed_writer <tests/fuzz/corpus>
// (tests/fuzz/make-seeds runs it; the config seeds are the files in configs/).
#include "dataplane/checksum.hpp"
#include "dataplane/packet.hpp"
#include "lnet_core/frame.hpp"
#include "lnet_core/ping_info.hpp"
#include "lnet_core/ptlrpc/connect_wire.hpp"
#include "lnet_core/ptlrpc/ladvise_wire.hpp"
#include "lnet_core/ptlrpc/ldlm_wire.hpp"
#include "lnet_core/ptlrpc/ost_wire.hpp"
#include "lnet_core/ptlrpc/rpc_layout.hpp"
#include "tests/fuzz/known_opcodes.hpp"

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_icmp.h>
#include <rte_ip.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

using namespace ostd::lnet;
using namespace ostd::lnet::ptlrpc;
using Bytes = std::vector<std::byte>;

namespace {

std::filesystem::path corpus_root;

void write_seed(const std::string& target, const std::string& name, std::initializer_list<std::span<const std::byte>> parts)
{
    std::filesystem::path dir = corpus_root / target;
    std::filesystem::create_directories(dir);
    std::ofstream out(dir / name, std::ios::binary);
    for (auto part : parts)
        out.write(reinterpret_cast<const char*>(part.data()), static_cast<std::streamsize>(part.size()));
}

Bytes bytes_of(std::string_view text)
{
    const auto* p = reinterpret_cast<const std::byte*>(text.data());
    return Bytes(p, p + text.size());
}

template <typename Container>
Bytes to_bytes(const Container& c)
{
    return Bytes(c.begin(), c.end());
}

// A well-formed buffer for each buffer name of the RPC layouts.
Bytes sample_buffer(std::string_view name)
{
    if (name == "ost_body")
        return to_bytes(encode_obdo({.valid = obd_md::id | obd_md::size, .id = 0x1234, .size_ = 4096}));
    if (name == "obd_ioobj")
        return encode_ioobjs(std::vector<ObdIoobj>{{0x1234, 0, 0, 2}});
    if (name == "niobuf_remote")
        return encode_niobufs(std::vector<NiobufRemote>{{0, 4096, obd_brw_write}, {4096, 4096, obd_brw_write}});
    if (name == "rcs")
        return encode_write_rcs(std::vector<int32_t>{0, 0});
    if (name == "ladvise_hdr")
        return to_bytes(encode_ladvise_hdr({.count = 1}));
    if (name == "lu_ladvise")
        return encode_ladvises(std::vector<LuLadvise>{{ladvise::lockahead, ladvise::mode_write, 0, 0, 1u << 20}});
    if (name == "obd_connect_data")
        return to_bytes(encode_connect_data({.connect_flags = obd_connect::version | obd_connect::brw_size,
                                             .version = 0x02100000, .brw_size = 1u << 20}));
    if (name == "ldlm_request") {
        LdlmRequest request{.lock_count = 0};
        request.desc.req_mode = lock_mode::pw;
        request.desc.name[0] = 0x1234;
        request.desc.extent = {0, ~uint64_t{0}, 0};
        return encode_ldlm_request(request);
    }
    if (name == "ldlm_intent")
        return to_bytes(encode_ldlm_intent({it_glimpse}));
    if (name == "ldlm_reply")
        return to_bytes(encode_ldlm_reply({.handle = 0xabcdef}));
    if (name == "ost_lvb")
        return to_bytes(encode_ost_lvb({.size_ = 4096}));
    if (name == "target_uuid")
        return bytes_of(std::string_view("OST0000_UUID", 13));
    if (name == "client_uuid")
        return bytes_of(std::string_view("fuzz-client_UUID", 17));
    if (name == "connect_handle")
        return Bytes(8);
    return {};  // capa, short_io: optional, sent empty
}

Bytes message_with(std::span<const BufferSpec> specs, auto build)
{
    std::vector<Bytes> owned;
    for (const BufferSpec& spec : specs)
        owned.push_back(sample_buffer(spec.name));
    std::vector<std::span<const std::byte>> buffers(owned.begin(), owned.end());
    return build(std::span<const std::span<const std::byte>>(buffers));
}

// Per opcode: the request, its reply and an error reply, with the switch
// bytes that keep them as they are (see ptlrpc_fuzz.cpp).
void write_ptlrpc_seeds()
{
    for (size_t i = 0; i < ostd::fuzz::known_opcodes.size(); ++i) {
        Opcode opc = ostd::fuzz::known_opcodes[i];
        const RpcLayout* layout = rpc_layout(static_cast<uint32_t>(opc));
        PtlrpcBody request_body{.handle = 0x77, .last_xid = 41, .conn_cnt = 1};
        Bytes request = message_with(layout->request, [&](auto buffers) {
            return build_request(opc, request_body, buffers, {.repsize = 8192});
        });
        request_body.opc = static_cast<uint32_t>(opc);
        request_body.version = rpc_route(opc)->version;
        Bytes reply = message_with(layout->reply, [&](auto buffers) {
            return build_reply(request_body, msghdr_at_support, {}, buffers);
        });
        Bytes error = build_reply(request_body, 0, {.status = -22, .type = ptlrpc::MsgType::err}, {});
        std::string name(opcode_name(opc));
        const std::byte keep[2] = {std::byte{3}, std::byte{0xff}};
        write_seed("ptlrpc", name + "-request", {keep, request});
        write_seed("ptlrpc", name + "-reply", {keep, reply});
        write_seed("ptlrpc", name + "-error", {keep, error});
    }
}

LnetHeader header_of(uint32_t payload_length, auto fields)
{
    LnetHeader header;
    header.dest_nid = Nid::tcp(0x0a4d0001);
    header.src_nid = Nid::tcp(0x0a4d0002);
    header.dest_pid = lustre_pid;
    header.src_pid = lustre_pid;
    header.payload_length = payload_length;
    header.fields = fields;
    return header;
}

Bytes datagram(const LnetHeader& header, std::span<const std::byte> payload, bool checksum = false)
{
    Bytes out(frame_overhead + payload.size());
    encode_frame(header, payload, out, {.checksum = checksum});
    return out;
}

// LNET datagrams of every message type; the PUT carries an OST_CONNECT request.
std::vector<std::pair<std::string, Bytes>> lnet_datagrams()
{
    Bytes connect = message_with(rpc_layout(static_cast<uint32_t>(Opcode::ost_connect))->request,
                                 [](auto buffers) { return build_request(Opcode::ost_connect, {}, buffers); });
    Bytes ping = encode_ping_info({.pid = lustre_pid, .nis = {{Nid{0}}, {Nid::tcp(0x0a4d0001)}}});
    WireHandle md{0x10, 0x20};
    Bytes noop(SocklndHeader::size);
    encode_socklnd_header({.type = SocklndType::noop}, std::span(noop).first<SocklndHeader::size>());
    uint32_t connect_length = static_cast<uint32_t>(connect.size());
    uint32_t ping_length = static_cast<uint32_t>(ping.size());
    return {
        {"noop", noop},
        {"put-connect", datagram(header_of(connect_length, PutFields{md, 41, 0, portal::ost_request, 0}), connect)},
        {"put-connect-checksum",
         datagram(header_of(connect_length, PutFields{md, 41, 0, portal::ost_request, 0}), connect, true)},
        {"get-ping", datagram(header_of(0, GetFields{md, ping_match_bits, ping_portal, 0, 4096}), {})},
        {"reply-ping", datagram(header_of(ping_length, ReplyFields{md}), ping)},
        {"ack", datagram(header_of(0, AckFields{md, 41, 4096}), {})},
        {"hello", datagram(header_of(0, HelloFields{0x5eed, 2}), {})},
    };
}

constexpr rte_ether_addr ostd_mac{{0x02, 0, 0, 0, 0, 1}};
constexpr rte_ether_addr client_mac{{0x02, 0, 0, 0, 0, 2}};
constexpr uint32_t ostd_ip = 0x0a4d0001;    // 10.77.0.1, as packet_fuzz.cpp's LocalAddress
constexpr uint32_t client_ip = 0x0a4d0002;

Bytes udp_frame(std::span<const std::byte> payload, uint16_t port = 988)
{
    Bytes frame(ostd::dataplane::udp_headers_size + payload.size());
    std::memcpy(frame.data() + ostd::dataplane::udp_headers_size, payload.data(), payload.size());
    ostd::dataplane::LocalAddress client{client_mac, client_ip, 1023, 1500, nullptr};
    ostd::dataplane::write_udp_frame(frame, client, {ostd_mac, ostd_ip, port}, payload.size(), 1);
    return frame;
}

Bytes arp_request()
{
    Bytes frame(sizeof(rte_ether_hdr) + sizeof(rte_arp_hdr));
    auto* eth = reinterpret_cast<rte_ether_hdr*>(frame.data());
    auto* arp = reinterpret_cast<rte_arp_hdr*>(frame.data() + sizeof(rte_ether_hdr));
    std::memset(&eth->dst_addr, 0xff, sizeof eth->dst_addr);
    eth->src_addr = client_mac;
    eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
    arp->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
    arp->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
    arp->arp_hlen = RTE_ETHER_ADDR_LEN;
    arp->arp_plen = 4;
    arp->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REQUEST);
    arp->arp_data.arp_sha = client_mac;
    arp->arp_data.arp_sip = rte_cpu_to_be_32(client_ip);
    arp->arp_data.arp_tip = rte_cpu_to_be_32(ostd_ip);
    return frame;
}

// An echo request: a UDP frame made over into ICMP (same Ethernet and IPv4 headers).
Bytes icmp_echo_request()
{
    Bytes frame = udp_frame(bytes_of("ping payload"));
    auto* ip = reinterpret_cast<rte_ipv4_hdr*>(frame.data() + sizeof(rte_ether_hdr));
    auto* icmp = reinterpret_cast<rte_icmp_hdr*>(frame.data() + sizeof(rte_ether_hdr) + sizeof(rte_ipv4_hdr));
    ip->next_proto_id = IPPROTO_ICMP;
    ip->hdr_checksum = 0;
    ip->hdr_checksum = ostd::dataplane::ipv4_header_checksum(ip);
    size_t icmp_length = frame.size() - sizeof(rte_ether_hdr) - sizeof(rte_ipv4_hdr);
    icmp->icmp_type = RTE_IP_ICMP_ECHO_REQUEST;
    icmp->icmp_code = 0;
    icmp->icmp_cksum = 0;
    icmp->icmp_cksum = static_cast<uint16_t>(~rte_raw_cksum(icmp, icmp_length));
    return frame;
}

// Frames with the switch byte in front (packet_fuzz.cpp): 0 checks every
// checksum and source, 7 trusts the NIC's checksums and restricts sources.
void write_packet_seeds(const std::vector<std::pair<std::string, Bytes>>& datagrams)
{
    const std::byte strict[1] = {std::byte{0}};
    const std::byte trusting[1] = {std::byte{7}};
    for (const auto& [name, payload] : datagrams)
        write_seed("packet", "udp-" + name, {strict, udp_frame(payload)});
    write_seed("packet", "udp-wrong-port", {trusting, udp_frame(datagrams[1].second, 1021)});
    write_seed("packet", "arp-request", {strict, arp_request()});
    write_seed("packet", "icmp-echo", {strict, icmp_echo_request()});
    write_seed("packet", "icmp-echo-trusted", {trusting, icmp_echo_request()});
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <corpus directory>\n", argv[0]);
        return 2;
    }
    corpus_root = argv[1];
    auto datagrams = lnet_datagrams();
    for (const auto& [name, bytes] : datagrams)
        write_seed("lnet_frame", name, {bytes});
    write_packet_seeds(datagrams);
    write_ptlrpc_seeds();
    return 0;
}
