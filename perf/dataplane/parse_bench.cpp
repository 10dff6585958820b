// The receive parse alone (dataplane/packet.cpp: Ethernet, IPv4, UDP checks
// and both software checksums) on valid LNET PUT frames, against baselines
// measured in the same run on the same frames:
//   dpdk_checksums: only the two checksums, DPDK 22.11's way
//                   (rte_ipv4_cksum + rte_ipv4_udptcp_cksum_verify);
//   read_frame:     a plain read of every 8-byte word of the frame, the floor
//                   for anything that looks at all the bytes.
// No EAL: the parse is pure functions over bytes.
//
//   ninja -C build perf/dataplane/parse_bench
//   ./build/perf/dataplane/parse_bench --benchmark_min_time=0.2 [--ratios_json=FILE]
#include <benchmark/benchmark.h>

#include <rte_ip.h>
#include <rte_udp.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

#include "dataplane/packet.hpp"
#include "lnet_core/frame.hpp"
#include "perf/common/ratio_report.hpp"

namespace ostd::perf::dataplane {
namespace {

using namespace ostd::dataplane;

constexpr size_t frame_count = 256;  // distinct clients and payloads, all in L1/L2
constexpr uint32_t appliance_ip = 0x0a4d0001;
const rte_ether_addr appliance_mac{{0x02, 0, 0, 0, 0, 1}};

// Built in place and never moved: local points at allowed.
struct Frames {
    Frames() = default;
    Frames(const Frames&) = delete;
    std::vector<std::vector<std::byte>> frames;
    std::vector<Ipv4Net> allowed{{0x0a4d0000, 0xffff0000}};  // one network, as configs/tap.yaml
    LocalAddress local{appliance_mac, appliance_ip, 988, 1500, &allowed};
};

// frame_count PUTs of payload bytes, each from its own client, as a
// user-space LNET peer sends them (the same writer ostd sends with).
const Frames& frames_of(uint32_t payload)
{
    static std::map<uint32_t, Frames> cache;
    Frames& made = cache[payload];
    if (!made.frames.empty())
        return made;
    for (uint32_t i = 0; i < frame_count; ++i) {
        uint32_t client_ip = 0x0a4d0100 + i;
        lnet::LnetHeader header;
        header.dest_nid = lnet::Nid::tcp(appliance_ip, 0);
        header.src_nid = lnet::Nid::tcp(client_ip, 0);
        header.src_pid = 0x80000000u | i;
        header.payload_length = payload;
        header.fields = lnet::PutFields{lnet::WireHandle::none(), 0x1000u + 128u * i, i, 8, 0};
        std::vector<std::byte> data(payload, static_cast<std::byte>(i));
        size_t datagram = lnet::frame_overhead + payload;
        std::vector<std::byte> frame(udp_headers_size + datagram);
        lnet::encode_frame(header, data, std::span(frame).subspan(udp_headers_size));
        LocalAddress client{{{0x02, 0, 0, 0, 1, static_cast<uint8_t>(i)}}, client_ip, 988, 1500, nullptr};
        write_udp_frame(frame, client, UdpPeer{appliance_mac, appliance_ip, 988}, datagram, static_cast<uint16_t>(i));
        made.frames.push_back(std::move(frame));
    }
    return made;
}

// One frame per iteration, stepping through the set.
template <typename Work>
void over_frames(benchmark::State& state, Work work)
{
    const Frames& set = frames_of(static_cast<uint32_t>(state.range(0)));
    size_t i = 0;
    for (auto _ : state) {
        work(set, set.frames[i]);
        i = (i + 1) % frame_count;
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void bm_parse(benchmark::State& state)
{
    over_frames(state, [](const Frames& set, const std::vector<std::byte>& frame) {
        ParsedPacket packet = parse_packet(frame, set.local);
        if (packet.kind != PacketKind::lnet)
            std::abort();  // the figure would be a drop's
        benchmark::DoNotOptimize(packet);
    });
}

void bm_dpdk_checksums(benchmark::State& state)
{
    over_frames(state, [](const Frames&, const std::vector<std::byte>& frame) {
        const auto* ip = reinterpret_cast<const rte_ipv4_hdr*>(frame.data() + sizeof(rte_ether_hdr));
        const auto* udp = reinterpret_cast<const rte_udp_hdr*>(frame.data() + sizeof(rte_ether_hdr) + sizeof(*ip));
        bool good = rte_ipv4_cksum(ip) == 0 && rte_ipv4_udptcp_cksum_verify(ip, udp) == 0;
        benchmark::DoNotOptimize(good);
    });
}

void bm_read_frame(benchmark::State& state)
{
    over_frames(state, [](const Frames&, const std::vector<std::byte>& frame) {
        uint64_t sum = 0;
        for (size_t at = 0; at + 8 <= frame.size(); at += 8) {
            uint64_t word;
            std::memcpy(&word, frame.data() + at, 8);
            sum += word;
        }
        benchmark::DoNotOptimize(sum);
    });
}

// Payloads of the dataplane_bench (64 bytes: a 168-byte UDP datagram) and of
// a 1 KiB bulk PUT.
void register_parse_benchmarks()
{
    benchmark::RegisterBenchmark("parse/ostd", bm_parse)->Arg(64)->Arg(1024);
    benchmark::RegisterBenchmark("parse/dpdk_checksums", bm_dpdk_checksums)->Arg(64)->Arg(1024);
    benchmark::RegisterBenchmark("parse/read_frame", bm_read_frame)->Arg(64)->Arg(1024);
}

const std::vector<RatioCheck>& ratio_checks()
{
    using enum Bound;
    // DPDK's 16-bit loop is vectorised by the compiler (many independent
    // adds per cycle): the whole parse, with both checksums, beats it still.
    static const std::vector<RatioCheck> checks{
        {"whole parse faster than DPDK's two checksums alone, 64-byte PUT", "parse/dpdk_checksums/64", "parse/ostd/64",
         at_least, 1},
        {"whole parse faster than DPDK's two checksums alone, 1 KiB PUT", "parse/dpdk_checksums/1024",
         "parse/ostd/1024", at_least, 1},
        {"(info) parse / reading the frame, 64-byte PUT", "parse/ostd/64", "parse/read_frame/64", at_least, 1},
        {"(info) parse / reading the frame, 1 KiB PUT", "parse/ostd/1024", "parse/read_frame/1024", at_least, 1},
    };
    return checks;
}

}  // namespace
}  // namespace ostd::perf::dataplane

int main(int argc, char** argv)
{
    ostd::perf::dataplane::register_parse_benchmarks();
    return ostd::perf::run_with_ratios(argc, argv, ostd::perf::dataplane::ratio_checks());
}
