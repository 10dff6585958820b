#include "perf/dataplane/put_capture.hpp"

#include <cstring>
#include <fstream>
#include <random>
#include <unordered_set>

#include "dataplane/packet.hpp"
#include "lnet_core/frame.hpp"

namespace ostd::perf {
namespace {

uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

// A locally administered MAC derived from the client's address.
rte_ether_addr client_mac(uint32_t ip)
{
    return rte_ether_addr{{0x02, 0x00, static_cast<uint8_t>(ip >> 24), static_cast<uint8_t>(ip >> 16),
                           static_cast<uint8_t>(ip >> 8), static_cast<uint8_t>(ip)}};
}

lnet::LnetHeader put_header(const PutWorkload& workload, const MeKey& key, uint64_t hdr_data)
{
    lnet::LnetHeader header;
    header.dest_nid = lnet::Nid::tcp(workload.appliance_ip, workload.net_number);
    header.dest_pid = lnet::lustre_pid;
    header.src_nid = lnet::Nid::tcp(key.client_ip, workload.net_number);
    header.src_pid = key.pid;
    header.payload_length = workload.payload;
    header.fields = lnet::PutFields{lnet::WireHandle::none(), key.match_bits, hdr_data, workload.portal, 0};
    return header;
}

// Ethernet + IPv4 + UDP + LNET PUT in out; returns the frame length (0: too big).
size_t build_frame(const PutWorkload& workload, const MeKey& key, uint16_t ip_id, std::vector<std::byte>& out)
{
    std::vector<std::byte> payload(workload.payload);
    for (size_t i = 0; i < payload.size(); ++i)
        payload[i] = static_cast<std::byte>(ip_id + i);
    size_t datagram = lnet::frame_overhead + payload.size();
    out.assign(dataplane::udp_headers_size + datagram, std::byte{0});
    std::span<std::byte> lnet_part(out.data() + dataplane::udp_headers_size, datagram);
    if (lnet::encode_frame(put_header(workload, key, ip_id), payload, lnet_part) != datagram)
        return 0;
    dataplane::LocalAddress client;
    client.mac = client_mac(key.client_ip);
    client.ip = key.client_ip;
    client.udp_port = workload.udp_port;
    dataplane::UdpPeer appliance{workload.appliance_mac, workload.appliance_ip, workload.udp_port};
    return dataplane::write_udp_frame(out, client, appliance, datagram, ip_id);
}

template <typename T>
void put_le(std::ofstream& out, T value)
{
    out.write(reinterpret_cast<const char*>(&value), sizeof value);  // x86: little-endian
}

void write_pcap_header(std::ofstream& out)
{
    put_le<uint32_t>(out, 0xa1b2c3d4);  // microsecond timestamps
    put_le<uint16_t>(out, 2);
    put_le<uint16_t>(out, 4);
    put_le<int32_t>(out, 0);
    put_le<uint32_t>(out, 0);
    put_le<uint32_t>(out, 65535);
    put_le<uint32_t>(out, 1);  // LINKTYPE_ETHERNET
}

void write_pcap_record(std::ofstream& out, size_t index, const std::vector<std::byte>& frame, size_t length)
{
    put_le<uint32_t>(out, static_cast<uint32_t>(index / 1000000));
    put_le<uint32_t>(out, static_cast<uint32_t>(index % 1000000));
    put_le<uint32_t>(out, static_cast<uint32_t>(length));
    put_le<uint32_t>(out, static_cast<uint32_t>(length));
    out.write(reinterpret_cast<const char*>(frame.data()), static_cast<std::streamsize>(length));
}

}  // namespace

std::vector<MeKey> me_keys(const PutWorkload& workload)
{
    std::vector<MeKey> keys(workload.mes);
    for (size_t i = 0; i < keys.size(); ++i) {
        uint32_t client = static_cast<uint32_t>(i % workload.clients);
        uint32_t process = static_cast<uint32_t>(i / workload.clients % workload.pids_per_client);
        keys[i] = {workload.first_client_ip + client, 0x80000000u | process, splitmix64(workload.seed ^ i)};
    }
    return keys;
}

lnet::MatchSpec match_spec(const PutWorkload& workload, const MeKey& key)
{
    return {workload.portal, {lnet::Nid::tcp(key.client_ip, workload.net_number), key.pid}, key.match_bits, 0};
}

lnet::Result<size_t, std::string> write_put_capture(const std::string& path, const PutWorkload& workload,
                                                    const std::vector<MeKey>& keys)
{
    if (keys.empty())
        return std::string("no MEs to aim at");
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        return "cannot create " + path + ": " + std::strerror(errno);
    write_pcap_header(out);
    std::mt19937_64 random(workload.seed);
    std::uniform_int_distribution<size_t> pick(0, keys.size() - 1);
    std::unordered_set<size_t> hit;
    std::vector<std::byte> frame;
    for (size_t i = 0; i < workload.frames; ++i) {
        size_t me = pick(random);
        hit.insert(me);
        size_t length = build_frame(workload, keys[me], static_cast<uint16_t>(i), frame);
        if (length == 0)
            return std::string("a PUT of ") + std::to_string(workload.payload) + " bytes does not fit a frame";
        write_pcap_record(out, i, frame, length);
    }
    out.close();
    if (!out)
        return "cannot write " + path + ": " + std::strerror(errno);
    return hit.size();
}

}  // namespace ostd::perf
