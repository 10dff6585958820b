// End-to-end benchmarks over the wire (README "End to end over TAP"): one
// OstClient against a running ostd (scripts/bench-e2e starts it in a private
// namespace and runs this inside), each figure beside baselines measured by
// the same process in the same run:
//
//   baselines  LNET ping (GET/REPLY on portal 0) one at a time: round trips/s;
//              LNET ping with --inflight in flight: messages/s;
//              ICMP echo of --echo-bytes with --inflight in flight, answered
//              by the appliance's worker: the payload ceiling of the link, MB/s.
//   stream     write --size MiB (OstClient::write into the writeback cache,
//              then fsync: timed until its last reply), read it back
//              (OstClient::read, OST_READ bulk), verify every byte.
//   locks      for --seconds: enqueue a PW lock on its own 4 KiB extent
//              (NO_EXPANSION), cancel it: pairs/s and RPCs/s (2 per pair).
//
// Prints human-readable lines, then one JSON object (stdout's last line, and
// --json FILE). Exit status: 0 if every phase ran and the data verified; 1 on
// a broken run (no connection, an RPC failed, bad data); 2 on bad usage.
// Slow figures are reported, never failed.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "client/lnet_ping.hpp"
#include "client/ost_client.hpp"
#include "lnet_core/ping_info.hpp"

namespace {

using namespace ostd;
using namespace ostd::client;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

struct Options {
    std::string nid_text;
    std::string mode = "all";
    uint64_t size_mib = 256;
    double seconds = 5.0;        // locks phase
    double ping_seconds = 2.0;   // each baseline
    unsigned inflight = 32;
    unsigned echo_bytes = 1400;  // ICMP payload
    uint64_t object = 0;         // 0: time-based
    std::string json_path;
};

const char* usage_text =
    "usage: e2e_bench --nid NID [--mode stream|locks|all] [--size MiB (256)] [--seconds S (5, locks)]\n"
    "                 [--ping-seconds S (2, each baseline)] [--inflight N (32)] [--echo-bytes B (1400)]\n"
    "                 [--object ID] [--json FILE]\n";

std::optional<Options> parse(int argc, char** argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= argc)
                return std::nullopt;
            return std::string(argv[++i]);
        };
        std::optional<std::string> v;
        try {
            if (a == "--nid" && (v = value()))
                o.nid_text = *v;
            else if (a == "--mode" && (v = value()))
                o.mode = *v;
            else if (a == "--size" && (v = value()))
                o.size_mib = std::stoull(*v);
            else if (a == "--seconds" && (v = value()))
                o.seconds = std::stod(*v);
            else if (a == "--ping-seconds" && (v = value()))
                o.ping_seconds = std::stod(*v);
            else if (a == "--inflight" && (v = value()))
                o.inflight = static_cast<unsigned>(std::stoul(*v));
            else if (a == "--echo-bytes" && (v = value()))
                o.echo_bytes = static_cast<unsigned>(std::stoul(*v));
            else if (a == "--object" && (v = value()))
                o.object = std::stoull(*v, nullptr, 0);
            else if (a == "--json" && (v = value()))
                o.json_path = *v;
            else
                return std::nullopt;
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }
    if (o.nid_text.empty() || (o.mode != "stream" && o.mode != "locks" && o.mode != "all") || o.size_mib == 0 ||
        o.seconds <= 0 || o.ping_seconds <= 0 || o.inflight == 0 || o.inflight > 1024 || o.echo_bytes < 8 ||
        o.echo_bytes > 1472)
        return std::nullopt;
    return o;
}

// A flat JSON object built in order: "key": number | "string" | {nested}.
class Json {
public:
    void number(const std::string& key, double value)
    {
        char text[64];
        std::snprintf(text, sizeof text, "%.6g", value);
        add(key, text);
    }
    void integer(const std::string& key, uint64_t value) { add(key, std::to_string(value)); }
    void string(const std::string& key, const std::string& value) { add(key, "\"" + escape(value) + "\""); }
    void boolean(const std::string& key, bool value) { add(key, value ? "true" : "false"); }
    void object(const std::string& key, const Json& inner) { add(key, inner.text()); }
    std::string text() const { return "{" + _body + "}"; }

private:
    static std::string escape(const std::string& s)
    {
        std::string out;
        for (char c : s) {
            if (c == '"' || c == '\\')
                out += '\\';
            if (static_cast<unsigned char>(c) < 0x20)
                out += ' ';
            else
                out += c;
        }
        return out;
    }
    void add(const std::string& key, const std::string& value)
    {
        if (!_body.empty())
            _body += ", ";
        _body += "\"" + key + "\": " + value;
    }
    std::string _body;
};

// ---------------------------------------------------------------- baselines

struct RateResult {
    bool ok = false;
    std::string error;
    uint64_t count = 0;
    double seconds = 0;
    double per_second() const { return seconds > 0 ? count / seconds : 0; }
};

// LNET ping, one at a time, through the client's own transport.
RateResult ping_serial(UdpTransport& transport, lnet::Nid nid, double seconds, double& mean_us, double& median_us)
{
    RateResult r;
    std::vector<double> samples;
    Clock::time_point start = Clock::now();
    while (seconds_since(start) < seconds) {
        auto pinged = ping(transport, nid);
        if (!pinged) {
            r.error = pinged.error().detail;
            return r;
        }
        samples.push_back(std::chrono::duration<double, std::micro>(pinged->round_trip).count());
        ++r.count;
    }
    r.seconds = seconds_since(start);
    r.ok = true;
    double sum = 0;
    for (double s : samples)
        sum += s;
    mean_us = samples.empty() ? 0 : sum / samples.size();
    std::sort(samples.begin(), samples.end());
    median_us = samples.empty() ? 0 : samples[samples.size() / 2];
    return r;
}

// OBD_PING RPCs, one at a time: the ptlrpc round trip (request PUT, reply
// PUT) through the appliance's RPC path, no lock or object work.
RateResult obd_ping_serial(RpcClient& rpc, double seconds, double& mean_us)
{
    RateResult r;
    double total = 0;
    Clock::time_point start = Clock::now();
    while (seconds_since(start) < seconds) {
        Request request;
        request.opc = lnet::ptlrpc::Opcode::obd_ping;
        auto reply = rpc.call(std::move(request));
        if (!reply) {
            r.error = reply.error().detail;
            return r;
        }
        if (reply->status() != 0) {
            r.error = "OBD_PING answered with status " + std::to_string(reply->status());
            return r;
        }
        total += std::chrono::duration<double, std::micro>(reply->round_trip).count();
        ++r.count;
    }
    r.seconds = seconds_since(start);
    mean_us = r.count ? total / r.count : 0;
    r.ok = true;
    return r;
}

// LNET pings with `inflight` GETs outstanding, each on its own MD; one queue.
RateResult ping_pipelined(UdpTransport& transport, lnet::Nid nid, double seconds, unsigned inflight)
{
    RateResult r;
    lnet::ProcessId to{nid, lnet::lustre_pid};
    size_t room = lnet::ping_header_size + 16 * lnet::ping_ni_size;
    std::vector<std::vector<std::byte>> buffers(inflight, std::vector<std::byte>(room));
    lnet::EventQueue events(4 * inflight + 16);
    std::vector<std::optional<lnet::MdHandle>> mds(inflight);
    std::vector<Clock::time_point> sent_at(inflight);
    auto launch = [&](unsigned slot) -> bool {
        lnet::MdSpec spec{buffers[slot], lnet::md_option::truncate, 2, 0, true, &events, slot};
        auto md = transport.endpoint().bind(spec);
        if (!md) {
            r.error = "cannot bind a ping reply buffer";
            return false;
        }
        if (transport.endpoint().get(*md, to, lnet::ping_portal, lnet::ping_match_bits, 0, transport) !=
            lnet::SendStatus::sent) {
            transport.endpoint().unlink(*md);
            r.error = "cannot send a ping GET";
            return false;
        }
        mds[slot] = *md;
        sent_at[slot] = Clock::now();
        return true;
    };
    auto cleanup = [&] {
        for (auto& md : mds)
            if (md)
                transport.endpoint().unlink(*md);
    };
    Clock::time_point start = Clock::now();
    for (unsigned slot = 0; slot < inflight; ++slot)
        if (!launch(slot)) {
            cleanup();
            return r;
        }
    unsigned outstanding = inflight;
    bool stopping = false;
    while (outstanding > 0) {
        if (!stopping && seconds_since(start) >= seconds) {
            stopping = true;
            r.seconds = seconds_since(start);
        }
        lnet::Event event;
        bool any = false;
        while (events.poll(event)) {
            if (event.type != lnet::EventType::reply)
                continue;
            any = true;
            unsigned slot = static_cast<unsigned>(event.user_data);
            mds[slot].reset();  // threshold reached: unlinked
            --outstanding;
            if (!stopping) {
                ++r.count;
                if (!launch(slot)) {
                    cleanup();
                    return r;
                }
                ++outstanding;
            }
        }
        if (any)
            continue;
        Clock::time_point now = Clock::now();
        for (unsigned slot = 0; slot < inflight; ++slot)
            if (mds[slot] && now - sent_at[slot] > std::chrono::seconds(1)) {
                r.error = "a pipelined ping had no reply within 1 s";
                cleanup();
                return r;
            }
        if (auto polled = transport.poll(std::chrono::milliseconds(10)); !polled) {
            r.error = polled.error().message();
            cleanup();
            return r;
        }
    }
    r.ok = true;
    return r;
}

uint16_t icmp_checksum(const uint8_t* data, size_t length)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < length; i += 2)
        sum += static_cast<uint32_t>(data[i]) << 8 | data[i + 1];
    if (length & 1)
        sum += static_cast<uint32_t>(data[length - 1]) << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return htons(static_cast<uint16_t>(~sum));
}

// ICMP echo requests of `payload` bytes to the appliance, `inflight` outstanding:
// the packet path's ceiling (TAP, the worker's receive and transmit), no LNET.
RateResult icmp_echo(uint32_t address, double seconds, unsigned inflight, unsigned payload)
{
    RateResult r;
    int fd = ::socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    if (fd < 0) {
        r.error = std::string("raw ICMP socket: ") + std::strerror(errno) + " (needs CAP_NET_RAW)";
        return r;
    }
    int buf = 4 << 20;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(address);
    uint16_t ident = static_cast<uint16_t>(::getpid() ^ 0x5a5a);
    std::vector<uint8_t> packet(8 + payload);
    for (unsigned i = 0; i < payload; ++i)
        packet[8 + i] = static_cast<uint8_t>(i);
    std::map<uint16_t, Clock::time_point> outstanding;
    uint16_t seq = 0;
    auto send_one = [&]() -> bool {
        ++seq;
        packet[0] = ICMP_ECHO;
        packet[1] = 0;
        packet[2] = packet[3] = 0;
        uint16_t id_n = htons(ident), seq_n = htons(seq);
        std::memcpy(&packet[4], &id_n, 2);
        std::memcpy(&packet[6], &seq_n, 2);
        uint16_t sum = icmp_checksum(packet.data(), packet.size());
        std::memcpy(&packet[2], &sum, 2);
        if (::sendto(fd, packet.data(), packet.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to) < 0) {
            r.error = std::string("sendto: ") + std::strerror(errno);
            return false;
        }
        outstanding[seq] = Clock::now();
        return true;
    };
    std::vector<uint8_t> in(65536);
    Clock::time_point start = Clock::now();
    bool stopping = false;
    for (unsigned i = 0; i < inflight; ++i)
        if (!send_one()) {
            ::close(fd);
            return r;
        }
    uint64_t lost = 0;
    while (!outstanding.empty()) {
        if (!stopping && seconds_since(start) >= seconds) {
            stopping = true;
            r.seconds = seconds_since(start);
        }
        pollfd p{fd, POLLIN, 0};
        int ready = ::poll(&p, 1, 20);
        if (ready < 0 && errno != EINTR) {
            r.error = std::string("poll: ") + std::strerror(errno);
            break;
        }
        while (ready > 0) {
            ssize_t n = ::recv(fd, in.data(), in.size(), MSG_DONTWAIT);
            if (n < 0)
                break;
            size_t ihl = (in[0] & 0x0f) * 4u;
            if (static_cast<size_t>(n) < ihl + 8 || in[ihl] != ICMP_ECHOREPLY)
                continue;
            uint16_t id_n, seq_n;
            std::memcpy(&id_n, &in[ihl + 4], 2);
            std::memcpy(&seq_n, &in[ihl + 6], 2);
            if (ntohs(id_n) != ident || static_cast<size_t>(n) - ihl != packet.size())
                continue;
            if (outstanding.erase(ntohs(seq_n)) == 0)
                continue;
            if (!stopping) {
                ++r.count;
                if (!send_one())
                    break;
            }
        }
        if (!r.error.empty())
            break;
        // An echo lost (the TAP's queue overflowed): count it, send another.
        Clock::time_point now = Clock::now();
        for (auto it = outstanding.begin(); it != outstanding.end();) {
            if (now - it->second > std::chrono::milliseconds(500)) {
                it = outstanding.erase(it);
                ++lost;
                if (!stopping && !send_one())
                    break;
            } else {
                ++it;
            }
        }
        if (lost > 1000 && r.count == 0) {
            r.error = "no ICMP echo replies from the appliance";
            break;
        }
    }
    ::close(fd);
    if (r.error.empty())
        r.ok = true;
    return r;
}

// ---------------------------------------------------------------- stream

// 8-byte words: offset ^ seed, cheap to fill and to check.
void fill_words(uint64_t seed, std::vector<std::byte>& data)
{
    auto* words = reinterpret_cast<uint64_t*>(data.data());
    for (size_t i = 0; i < data.size() / 8; ++i)
        words[i] = (i * 8) ^ seed;
}

struct StreamResult {
    bool ok = false;
    std::string error;
    double write_seconds = 0, read_seconds = 0;
    uint64_t bytes = 0;
    uint64_t write_rpcs = 0, read_rpcs = 0;
    uint64_t write_resends = 0, read_resends = 0;
    uint32_t brw_size = 0;
};

StreamResult stream(OstClient& client, ObjectId object, uint64_t bytes)
{
    StreamResult s;
    s.bytes = bytes;
    s.brw_size = client.io().brw_size();
    uint64_t seed = 0x0e2e0000'00000000ull ^ object.id;
    std::vector<std::byte> data(bytes);
    fill_words(seed, data);
    OpenObject file = client.open(object);
    constexpr uint64_t chunk = 1ull << 20;  // one application write
    uint64_t write_rpcs0 = client.io().counters().write_rpcs.get();
    uint64_t resends0 = client.rpc().counters().resends.get();
    Clock::time_point start = Clock::now();
    for (uint64_t at = 0; at < bytes; at += chunk) {
        uint64_t n = std::min(chunk, bytes - at);
        auto wrote = client.write(file, at, std::span<const std::byte>(data).subspan(at, n));
        if (!wrote) {
            s.error = "write at " + std::to_string(at) + ": " + wrote.error().detail;
            return s;
        }
    }
    if (auto synced = client.fsync(file); !synced) {
        s.error = "fsync: " + synced.error().detail;
        return s;
    }
    s.write_seconds = seconds_since(start);
    s.write_rpcs = client.io().counters().write_rpcs.get() - write_rpcs0;
    s.write_resends = client.rpc().counters().resends.get() - resends0;
    resends0 = client.rpc().counters().resends.get();

    std::vector<std::byte> back(bytes);
    constexpr uint64_t read_chunk = 4ull << 20;
    uint64_t read_rpcs0 = client.io().counters().read_rpcs.get();
    start = Clock::now();
    for (uint64_t at = 0; at < bytes; at += read_chunk) {
        uint64_t n = std::min(read_chunk, bytes - at);
        auto got = client.read(file, at, std::span<std::byte>(back).subspan(at, n));
        if (!got) {
            s.error = "read at " + std::to_string(at) + ": " + got.error().detail;
            return s;
        }
        if (*got != n) {
            s.error = "read at " + std::to_string(at) + ": " + std::to_string(*got) + " bytes, expected " +
                      std::to_string(n);
            return s;
        }
    }
    s.read_seconds = seconds_since(start);
    s.read_rpcs = client.io().counters().read_rpcs.get() - read_rpcs0;
    s.read_resends = client.rpc().counters().resends.get() - resends0;
    if (std::memcmp(data.data(), back.data(), bytes) != 0) {
        size_t at = 0;
        while (at < bytes && data[at] == back[at])
            ++at;
        s.error = "read back differs from what was written, first at byte " + std::to_string(at);
        return s;
    }
    s.ok = true;
    return s;
}

// ---------------------------------------------------------------- locks

struct LockResult {
    bool ok = false;
    std::string error;
    uint64_t pairs = 0;
    double seconds = 0;
    double mean_enqueue_us = 0, mean_cancel_us = 0;
};

LockResult locks(OstClient& client, ObjectId object, double seconds)
{
    LockResult l;
    namespace mode = lnet::ptlrpc::lock_mode;
    double enqueue_total = 0, cancel_total = 0;
    Clock::time_point start = Clock::now();
    while (seconds_since(start) < seconds) {
        uint64_t base = l.pairs * 4096;
        Clock::time_point t0 = Clock::now();
        auto lock = client.locks().acquire(object, mode::pw, {base, base + 4095},
                                           lnet::ptlrpc::ldlm_flag::no_expansion);
        if (!lock) {
            l.error = "enqueue: " + lock.error().detail;
            return l;
        }
        if ((*lock)->state != LockState::granted) {
            l.error = "enqueue: the lock was not granted";
            return l;
        }
        uint64_t cookie = (*lock)->cookie;
        client.locks().release(**lock);
        Clock::time_point t1 = Clock::now();
        if (auto cancelled = client.locks().cancel(cookie); !cancelled) {
            l.error = "cancel: " + cancelled.error().detail;
            return l;
        }
        Clock::time_point t2 = Clock::now();
        enqueue_total += std::chrono::duration<double, std::micro>(t1 - t0).count();
        cancel_total += std::chrono::duration<double, std::micro>(t2 - t1).count();
        ++l.pairs;
    }
    l.seconds = seconds_since(start);
    if (l.pairs) {
        l.mean_enqueue_us = enqueue_total / l.pairs;
        l.mean_cancel_us = cancel_total / l.pairs;
    }
    l.ok = true;
    return l;
}

// The client's own counters: where a lost reply went (printed on a failure).
std::string client_counters(OstClient& client)
{
    const auto& t = client.transport().counters();
    const auto& e = client.transport().endpoint().counters();
    const auto& r = client.rpc().counters();
    std::ostringstream text;
    text << "client counters: rx_datagrams " << t.rx_datagrams.get() << ", rx_held " << t.rx_held.get()
         << ", rx_errors " << t.rx_errors.get() << ", tx_errors " << t.tx_errors.get() << ", endpoint pushbacks "
         << e.pushbacks.get() << ", rpc resends " << r.resends.get() << ", timeouts " << r.timeouts.get()
         << ", bad_replies " << r.bad_replies.get() << ", drops:";
    for (size_t i = 0; i < lnet::drop_reason_count; ++i) {
        auto reason = static_cast<lnet::DropReason>(i);
        if (uint64_t n = e.drops.get(reason))
            text << " " << lnet::drop_reason_name(reason) << " " << n;
    }
    return text.str();
}

}  // namespace

int main(int argc, char** argv)
{
    auto parsed = parse(argc, argv);
    if (!parsed) {
        std::cerr << usage_text;
        return 2;
    }
    const Options& o = *parsed;
    auto nid = lnet::parse_nid(o.nid_text);
    if (!nid || nid->lnd() != static_cast<uint16_t>(lnet::LndType::socklnd)) {
        std::cerr << "e2e_bench: bad NID '" << o.nid_text << "' (expected e.g. 10.77.0.1@tcp)\n";
        return 2;
    }
    bool broken = false;
    Json json;
    json.string("nid", o.nid_text);
    json.string("mode", o.mode);

    OstClientConfig config;
    config.server = *nid;
    auto connected = OstClient::connect(config);
    if (!connected) {
        std::cerr << "e2e_bench: cannot connect to " << o.nid_text << ": " << connected.error() << "\n";
        return 1;
    }
    OstClient& client = **connected;
    std::printf("e2e_bench: connected to %s, brw_size %u KiB\n", o.nid_text.c_str(), client.io().brw_size() >> 10);

    // Baselines: the raw round trip and the link's payload ceiling.
    Json base;
    double mean_us = 0, median_us = 0;
    RateResult serial = ping_serial(client.transport(), *nid, o.ping_seconds, mean_us, median_us);
    double ping_rate = serial.per_second();
    if (!serial.ok) {
        std::printf("baseline  LNET ping, 1 in flight: FAILED: %s\n", serial.error.c_str());
        broken = true;
    } else {
        std::printf("baseline  LNET ping, 1 in flight:        %9.0f round trips/s  (mean %.1f us, median %.1f us, "
                    "%lu pings)\n",
                    ping_rate, mean_us, median_us, static_cast<unsigned long>(serial.count));
    }
    base.number("ping_round_trips_per_s", ping_rate);
    base.number("ping_mean_us", mean_us);
    base.number("ping_median_us", median_us);

    double obd_mean_us = 0;
    RateResult obd = obd_ping_serial(client.rpc(), o.ping_seconds, obd_mean_us);
    double rpc_rate = obd.per_second();
    if (!obd.ok) {
        std::printf("baseline  OBD_PING RPC, 1 in flight: FAILED: %s\n", obd.error.c_str());
        broken = true;
    } else {
        std::printf("baseline  OBD_PING RPC, 1 in flight:     %9.0f RPCs/s         (mean %.1f us)\n", rpc_rate,
                    obd_mean_us);
    }
    base.number("obd_ping_rpcs_per_s", rpc_rate);
    base.number("obd_ping_mean_us", obd_mean_us);

    RateResult piped = ping_pipelined(client.transport(), *nid, o.ping_seconds, o.inflight);
    if (!piped.ok) {
        std::printf("baseline  LNET ping, %u in flight: FAILED: %s\n", o.inflight, piped.error.c_str());
        broken = true;
    } else {
        std::printf("baseline  LNET ping, %2u in flight:       %9.0f round trips/s\n", o.inflight,
                    piped.per_second());
    }
    base.number("ping_pipelined_per_s", piped.per_second());
    base.integer("inflight", o.inflight);

    RateResult echo = icmp_echo(nid->address(), o.ping_seconds, o.inflight, o.echo_bytes);
    double ceiling_mb = echo.per_second() * o.echo_bytes / 1e6;
    if (!echo.ok) {
        std::printf("baseline  ICMP echo %u B, %u in flight: FAILED: %s\n", o.echo_bytes, o.inflight,
                    echo.error.c_str());
        broken = true;
    } else {
        std::printf("baseline  ICMP echo %4u B, %2u in flight: %9.0f echoes/s = %.1f MB/s each way (link ceiling)\n",
                    o.echo_bytes, o.inflight, echo.per_second(), ceiling_mb);
    }
    base.number("echo_per_s", echo.per_second());
    base.integer("echo_bytes", o.echo_bytes);
    base.number("echo_mb_per_s", ceiling_mb);
    json.object("baseline", base);

    ObjectId object_base{o.object ? o.object
                                  : static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch() /
                                                          std::chrono::milliseconds(1)) &
                                        0xffffffffffull};
    if (o.mode == "stream" || o.mode == "all") {
        StreamResult s = stream(client, object_base, o.size_mib << 20);
        Json js;
        js.integer("bytes", s.bytes);
        js.integer("brw_size", s.brw_size);
        if (!s.ok) {
            std::printf("stream    FAILED: %s\n", s.error.c_str());
            js.string("error", s.error);
            broken = true;
        } else {
            double mib = s.bytes / double(1 << 20);
            double write_mib = mib / s.write_seconds, read_mib = mib / s.read_seconds;
            double write_mb = s.bytes / s.write_seconds / 1e6, read_mb = s.bytes / s.read_seconds / 1e6;
            std::printf("stream    write %lu MiB + fsync:         %9.1f MiB/s  (%.2f s, %lu OST_WRITE RPCs)  "
                        "= %.2f x link ceiling\n",
                        static_cast<unsigned long>(o.size_mib), write_mib, s.write_seconds,
                        static_cast<unsigned long>(s.write_rpcs), ceiling_mb > 0 ? write_mb / ceiling_mb : 0);
            std::printf("stream    read  %lu MiB:                 %9.1f MiB/s  (%.2f s, %lu OST_READ RPCs)  "
                        "= %.2f x link ceiling\n",
                        static_cast<unsigned long>(o.size_mib), read_mib, s.read_seconds,
                        static_cast<unsigned long>(s.read_rpcs), ceiling_mb > 0 ? read_mb / ceiling_mb : 0);
            std::printf("stream    data verified (%lu bytes); RPC resends (1 s timeout each): write %lu, read %lu\n",
                        static_cast<unsigned long>(s.bytes), static_cast<unsigned long>(s.write_resends),
                        static_cast<unsigned long>(s.read_resends));
            js.number("write_mib_per_s", write_mib);
            js.number("read_mib_per_s", read_mib);
            js.number("write_seconds", s.write_seconds);
            js.number("read_seconds", s.read_seconds);
            js.integer("write_rpcs", s.write_rpcs);
            js.integer("read_rpcs", s.read_rpcs);
            js.integer("write_resends", s.write_resends);
            js.integer("read_resends", s.read_resends);
            js.number("write_vs_ceiling", ceiling_mb > 0 ? write_mb / ceiling_mb : 0);
            js.number("read_vs_ceiling", ceiling_mb > 0 ? read_mb / ceiling_mb : 0);
            js.boolean("verified", true);
        }
        json.object("stream", js);
    }
    if (o.mode == "locks" || o.mode == "all") {
        LockResult l = locks(client, {object_base.id + 1, object_base.seq}, o.seconds);
        Json jl;
        if (!l.ok) {
            std::printf("locks     FAILED: %s\n", l.error.c_str());
            jl.string("error", l.error);
            broken = true;
        } else {
            double pairs = l.pairs / l.seconds, rpcs = 2 * pairs;
            std::printf("locks     enqueue+cancel, 1 client:     %9.0f pairs/s = %.0f RPCs/s  (enqueue %.1f us, "
                        "cancel %.1f us)\n",
                        pairs, rpcs, l.mean_enqueue_us, l.mean_cancel_us);
            std::printf("locks     = %.2f x LNET ping round trips/s, %.2f x OBD_PING RPCs/s\n",
                        ping_rate > 0 ? rpcs / ping_rate : 0, rpc_rate > 0 ? rpcs / rpc_rate : 0);
            jl.number("pairs_per_s", pairs);
            jl.number("rpcs_per_s", rpcs);
            jl.integer("pairs", l.pairs);
            jl.number("seconds", l.seconds);
            jl.number("mean_enqueue_us", l.mean_enqueue_us);
            jl.number("mean_cancel_us", l.mean_cancel_us);
            jl.number("rpcs_vs_ping", ping_rate > 0 ? rpcs / ping_rate : 0);
            jl.number("rpcs_vs_obd_ping", rpc_rate > 0 ? rpcs / rpc_rate : 0);
        }
        json.object("locks", jl);
    }
    if (auto gone = client.disconnect(); !gone) {
        std::printf("disconnect FAILED: %s\n", gone.error().detail.c_str());
        broken = true;
    }
    if (broken)
        std::printf("%s\n", client_counters(client).c_str());
    json.boolean("ok", !broken);
    std::string text = json.text();
    std::printf("%s\n", text.c_str());
    if (!o.json_path.empty()) {
        std::ofstream out(o.json_path);
        out << text << "\n";
        if (!out) {
            std::cerr << "e2e_bench: cannot write " << o.json_path << "\n";
            return 1;
        }
    }
    return broken ? 1 : 0;
}
