#include "client/ostio/ping_command.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ostream>
#include <vector>

#include "client/lnet_ping.hpp"
#include "client/ostio/json.hpp"
#include "client/ostio/options.hpp"

namespace ostd::client::ostio {

namespace {

constexpr std::string_view usage =
    "usage: ostio ping NID [--port P] [--timeout MS] [--count N] [--json]\n"
    "\n"
    "LNET ping: a GET on portal 0 to 12345-NID; prints the peer's NIDs (status,\n"
    "message size), features and pid, and the round-trip time.\n"
    "\n"
    "  NID            the peer, e.g. 10.77.0.1@tcp (IPv4 NIDs only)\n"
    "  --port P       its UDP port (default 988)\n"
    "  --timeout MS   how long to wait for each reply (default 1000)\n"
    "  --count N      pings to send, one after the other (default 1)\n"
    "  --json         print one JSON object instead of text\n"
    "\n"
    "Exits 1 if any ping gets no (valid) reply, 2 on bad arguments.\n";

constexpr std::array<OptionSpec, 4> specs{{
    {"port", true},
    {"timeout", true},
    {"count", true},
    {"json", false},
}};

struct PingArgs {
    lnet::Nid target;
    uint16_t port = lnet_port;
    std::chrono::milliseconds timeout{1000};
    uint64_t count = 1;
    bool json = false;
};

lnet::Result<PingArgs, std::string> read_args(std::span<const std::string_view> raw)
{
    auto parsed = parse_options(raw, specs);
    if (!parsed)
        return parsed.error();
    if (parsed->positional.size() != 1)
        return std::string("expected one NID, got ") + std::to_string(parsed->positional.size()) + " arguments";
    PingArgs args;
    auto nid = parse_target_nid(parsed->positional[0]);
    if (!nid)
        return nid.error();
    args.target = *nid;
    auto connection = connection_options(*parsed);
    if (!connection)
        return connection.error();
    auto count = uint_option(*parsed, "count", 1, 1, 1'000'000);
    if (!count)
        return count.error();
    args.port = connection->port;
    args.timeout = connection->timeout;
    args.count = *count;
    args.json = parsed->has("json");
    return args;
}

std::string milliseconds_text(std::chrono::nanoseconds rtt)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", static_cast<double>(rtt.count()) / 1e6);
    return text;
}

struct Outcome {
    std::optional<lnet::PingInfo> info;  // from the first reply
    std::vector<std::chrono::nanoseconds> round_trips;
    std::vector<std::string> errors;
};

void print_text(const PingArgs& args, const Outcome& outcome, std::ostream& out)
{
    if (outcome.info) {
        const lnet::PingInfo& info = *outcome.info;
        out << "peer " << lnet::format_process_id({args.target, lnet::lustre_pid}) << ": pid " << info.pid
            << ", features " << ping_features_text(info.features) << ", " << info.nis.size() << " NIs\n";
        for (const lnet::PingNi& ni : info.nis) {
            std::string nid = lnet::format_nid(ni.nid);
            out << "  " << nid << std::string(nid.size() < 22 ? 22 - nid.size() : 1, ' ') << ni_status_name(ni.status)
                << "  msg_size " << ni.msg_size << "\n";
        }
    }
    for (size_t i = 0; i < outcome.round_trips.size(); ++i)
        out << "reply " << (i + 1) << ": round trip " << milliseconds_text(outcome.round_trips[i]) << " ms\n";
    if (args.count > 1 && !outcome.round_trips.empty()) {
        auto [min, max] = std::minmax_element(outcome.round_trips.begin(), outcome.round_trips.end());
        std::chrono::nanoseconds sum{0};
        for (auto rtt : outcome.round_trips)
            sum += rtt;
        out << outcome.round_trips.size() << " of " << args.count << " replied, round trip min/avg/max "
            << milliseconds_text(*min) << "/" << milliseconds_text(sum / outcome.round_trips.size()) << "/"
            << milliseconds_text(*max) << " ms\n";
    }
}

void print_json(const PingArgs& args, const Outcome& outcome, std::ostream& out)
{
    out << "{\"target\":" << json_string(lnet::format_process_id({args.target, lnet::lustre_pid}))
        << ",\"port\":" << args.port << ",\"sent\":" << args.count << ",\"replied\":" << outcome.round_trips.size();
    if (outcome.info) {
        out << ",\"pid\":" << outcome.info->pid << ",\"features\":" << outcome.info->features << ",\"nis\":[";
        for (size_t i = 0; i < outcome.info->nis.size(); ++i) {
            const lnet::PingNi& ni = outcome.info->nis[i];
            out << (i ? "," : "") << "{\"nid\":" << json_string(lnet::format_nid(ni.nid))
                << ",\"status\":" << json_string(ni_status_name(ni.status)) << ",\"msg_size\":" << ni.msg_size << "}";
        }
        out << "]";
    }
    out << ",\"round_trip_ms\":[";
    for (size_t i = 0; i < outcome.round_trips.size(); ++i)
        out << (i ? "," : "") << milliseconds_text(outcome.round_trips[i]);
    out << "],\"errors\":[";
    for (size_t i = 0; i < outcome.errors.size(); ++i)
        out << (i ? "," : "") << json_string(outcome.errors[i]);
    out << "]}\n";
}

int run_ping(std::span<const std::string_view> raw, CommandIo io)
{
    auto args = read_args(raw);
    if (!args) {
        io.err << "ostio ping: " << args.error() << "\n" << usage;
        return exit_usage;
    }
    UdpTransportConfig config;
    config.server_port = args->port;
    config.route_to = args->target.address();
    config.net_number = args->target.net_number();
    auto transport = UdpTransport::open(config);
    if (!transport) {
        io.err << "ostio ping: " << transport.error().message() << "\n";
        return exit_failed;
    }
    Outcome outcome;
    for (uint64_t i = 0; i < args->count; ++i) {
        auto result = ping(**transport, args->target, {.timeout = args->timeout});
        if (!result) {
            io.err << "ostio ping: " << result.error().detail << "\n";
            outcome.errors.push_back(result.error().detail);
            continue;
        }
        if (!outcome.info)
            outcome.info = result->info;
        outcome.round_trips.push_back(result->round_trip);
    }
    if (args->json)
        print_json(*args, outcome, io.out);
    else
        print_text(*args, outcome, io.out);
    return outcome.errors.empty() ? exit_ok : exit_failed;
}

}  // namespace

Command ping_command() { return Command{"ping", "LNET ping an appliance: its NIDs, features, round trip", usage, run_ping}; }

}  // namespace ostd::client::ostio
