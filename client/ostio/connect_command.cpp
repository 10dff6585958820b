#include "client/ostio/connect_command.hpp"

#include <array>
#include <cstdio>
#include <ostream>

#include "client/ost_session.hpp"
#include "client/ostio/json.hpp"
#include "client/ostio/options.hpp"

namespace ostd::client::ostio {

namespace {

constexpr std::string_view usage =
    "usage: ostio connect NID [--port P] [--timeout MS] [--resends N] [--target UUID] [--json]\n"
    "\n"
    "Connects to an OST (OST_CONNECT), pings it once on the export (OBD_PING)\n"
    "and disconnects (OST_DISCONNECT); prints the export handle and the connect\n"
    "data the server granted.\n"
    "\n"
    "  NID            the appliance, e.g. 10.77.0.1@tcp (IPv4 NIDs only)\n"
    "  --port P       its UDP port (default 988)\n"
    "  --timeout MS   how long to wait for each reply (default 1000)\n"
    "  --resends N    resends of an unanswered request (default 3)\n"
    "  --target UUID  the target to connect to (default ostd-OST0000_UUID)\n"
    "  --json         print one JSON object instead of text\n"
    "\n"
    "Exits 1 if the connect, the ping or the disconnect fails, 2 on bad arguments.\n";

constexpr std::array<OptionSpec, 5> specs{{
    {"port", true},
    {"timeout", true},
    {"resends", true},
    {"target", true},
    {"json", false},
}};

struct ConnectArgs {
    lnet::Nid target;
    uint16_t port = lnet_port;
    std::chrono::milliseconds timeout{1000};
    unsigned resends = 3;
    LossConfig loss;  // TEST ONLY
    std::string target_uuid = "ostd-OST0000_UUID";
    bool json = false;
};

lnet::Result<ConnectArgs, std::string> read_args(std::span<const std::string_view> raw)
{
    auto parsed = parse_options(raw, specs);
    if (!parsed)
        return parsed.error();
    if (parsed->positional.size() != 1)
        return std::string("expected one NID, got ") + std::to_string(parsed->positional.size()) + " arguments";
    ConnectArgs args;
    auto nid = parse_target_nid(parsed->positional[0]);
    if (!nid)
        return nid.error();
    args.target = *nid;
    auto connection = connection_options(*parsed);
    if (!connection)
        return connection.error();
    args.port = connection->port;
    args.timeout = connection->timeout;
    args.resends = connection->resends;
    args.loss = connection->loss;
    if (auto uuid = parsed->value("target")) {
        if (uuid->empty() || uuid->size() >= ptlrpc::obd_uuid_size)
            return std::string("--target: a UUID of 1 to 39 characters");
        args.target_uuid = std::string(*uuid);
    }
    args.json = parsed->has("json");
    return args;
}

std::string hex(uint64_t value)
{
    char text[24];
    std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
    return text;
}

// "2.15.0.0" from OBD_OCD_VERSION's four bytes.
std::string version_text(uint32_t version)
{
    return std::to_string(version >> 24) + "." + std::to_string((version >> 16) & 0xff) + "." +
           std::to_string((version >> 8) & 0xff) + "." + std::to_string(version & 0xff);
}

struct Outcome {
    std::string client_uuid;
    std::optional<Connection> connection;
    std::optional<std::chrono::nanoseconds> ping_round_trip;
    bool disconnected = false;
    std::vector<std::string> errors;
};

std::string milliseconds_text(std::chrono::nanoseconds rtt)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", static_cast<double>(rtt.count()) / 1e6);
    return text;
}

void print_text(const ConnectArgs& args, const Outcome& outcome, std::ostream& out)
{
    out << "target " << args.target_uuid << " at " << lnet::format_process_id({args.target, lnet::lustre_pid})
        << ", client " << outcome.client_uuid << "\n";
    if (const auto& c = outcome.connection) {
        out << "connected: export handle " << hex(c->handle) << ", conn_cnt " << c->conn_cnt << "\n"
            << "  ocd_version         " << hex(c->data.version) << " (" << version_text(c->data.version) << ")\n"
            << "  ocd_connect_flags   " << hex(c->data.connect_flags) << "\n"
            << "  ocd_connect_flags2  " << hex(c->data.connect_flags2) << "\n"
            << "  ocd_index           " << c->data.index << "\n"
            << "  ocd_brw_size        " << c->data.brw_size << "\n"
            << "  ocd_grant           " << c->data.grant << "\n"
            << "  ocd_instance        " << c->data.instance << "\n"
            << "  ocd_maxbytes        " << c->data.maxbytes << "\n";
    }
    if (outcome.ping_round_trip)
        out << "ping: round trip " << milliseconds_text(*outcome.ping_round_trip) << " ms\n";
    if (outcome.disconnected)
        out << "disconnected\n";
}

void print_json(const ConnectArgs& args, const Outcome& outcome, std::ostream& out)
{
    out << "{\"target\":" << json_string(lnet::format_process_id({args.target, lnet::lustre_pid}))
        << ",\"port\":" << args.port << ",\"target_uuid\":" << json_string(args.target_uuid)
        << ",\"client_uuid\":" << json_string(outcome.client_uuid)
        << ",\"connected\":" << (outcome.connection ? "true" : "false");
    if (const auto& c = outcome.connection) {
        out << ",\"export_handle\":" << json_string(hex(c->handle)) << ",\"conn_cnt\":" << c->conn_cnt
            << ",\"connect_data\":{\"version\":" << c->data.version << ",\"version_text\":"
            << json_string(version_text(c->data.version)) << ",\"connect_flags\":" << json_string(hex(c->data.connect_flags))
            << ",\"connect_flags2\":" << json_string(hex(c->data.connect_flags2)) << ",\"index\":" << c->data.index
            << ",\"brw_size\":" << c->data.brw_size << ",\"grant\":" << c->data.grant
            << ",\"instance\":" << c->data.instance << ",\"maxbytes\":" << c->data.maxbytes << "}";
    }
    out << ",\"pinged\":" << (outcome.ping_round_trip ? "true" : "false");
    if (outcome.ping_round_trip)
        out << ",\"ping_round_trip_ms\":" << milliseconds_text(*outcome.ping_round_trip);
    out << ",\"disconnected\":" << (outcome.disconnected ? "true" : "false") << ",\"errors\":[";
    for (size_t i = 0; i < outcome.errors.size(); ++i)
        out << (i ? "," : "") << json_string(outcome.errors[i]);
    out << "]}\n";
}

// Connect, ping, disconnect; stops at the connect if it fails.
Outcome exchange(UdpTransport& transport, const ConnectArgs& args)
{
    RpcClient rpc(transport, RpcClientConfig{.server = {args.target, lnet::lustre_pid},
                                             .timeout = args.timeout,
                                             .resends = args.resends});
    OstSession session(rpc, {.target_uuid = args.target_uuid});
    Outcome outcome;
    outcome.client_uuid = session.client_uuid();
    auto connection = session.connect();
    if (!connection) {
        outcome.errors.push_back(connection.error().detail);
        return outcome;
    }
    outcome.connection = *connection;
    if (auto ping = session.ping())
        outcome.ping_round_trip = ping->round_trip;
    else
        outcome.errors.push_back(ping.error().detail);
    if (auto bye = session.disconnect())
        outcome.disconnected = true;
    else
        outcome.errors.push_back(bye.error().detail);
    return outcome;
}

int run_connect(std::span<const std::string_view> raw, CommandIo io)
{
    auto args = read_args(raw);
    if (!args) {
        io.err << "ostio connect: " << args.error() << "\n" << usage;
        return exit_usage;
    }
    UdpTransportConfig config;
    config.server_port = args->port;
    config.route_to = args->target.address();
    config.net_number = args->target.net_number();
    config.loss = args->loss;
    auto transport = UdpTransport::open(config);
    if (!transport) {
        io.err << "ostio connect: " << transport.error().message() << "\n";
        return exit_failed;
    }
    Outcome outcome = exchange(**transport, *args);
    for (const std::string& error : outcome.errors)
        io.err << "ostio connect: " << error << "\n";
    if (args->json)
        print_json(*args, outcome, io.out);
    else
        print_text(*args, outcome, io.out);
    return outcome.errors.empty() ? exit_ok : exit_failed;
}

}  // namespace

Command connect_command()
{
    return Command{"connect", "OST_CONNECT, ping and disconnect: export handle, connect data", usage, run_connect};
}

}  // namespace ostd::client::ostio
