#include "perf/soak/soak_options.hpp"

#include <charconv>
#include <string_view>

namespace ostd::perf::soak {

const char* const soak_usage =
    "usage: soak NID [--seconds S] [--clients N] [--objects N] [--first-object ID] [--object-span BYTES]\n"
    "            [--max-io BYTES] [--seed N] [--mix W,R,S,L (40,30,15,15)] [--port P] [--timeout-ms MS] [--json]\n"
    "Several clients (threads, each its own socket, pid and export) do a seeded random mix of\n"
    "locked writes, reads, stats (glimpse) and lockahead on shared objects for S seconds, then\n"
    "every object is read back and compared with a model of what was acknowledged.\n"
    "Prints operations by kind, the rate and mismatches (JSON on the last line); exit 1 on any\n"
    "mismatch or failed operation.\n";

namespace {

bool parse_number(std::string_view text, uint64_t& out)
{
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

// "W,R,S,L": four percentages that add up to 100.
bool parse_mix(std::string_view text, SoakOptions& options)
{
    uint64_t pct[4];
    for (int i = 0; i < 4; ++i) {
        size_t comma = i < 3 ? text.find(',') : text.size();
        if (comma == std::string_view::npos || !parse_number(text.substr(0, comma), pct[i]))
            return false;
        text.remove_prefix(std::min(text.size(), comma + 1));
    }
    if (pct[0] + pct[1] + pct[2] + pct[3] != 100)
        return false;
    options.write_pct = static_cast<unsigned>(pct[0]);
    options.read_pct = static_cast<unsigned>(pct[1]);
    options.stat_pct = static_cast<unsigned>(pct[2]);
    return true;
}

}  // namespace

std::optional<SoakOptions> parse_soak_options(int argc, char** argv, std::string& error)
{
    SoakOptions options;
    bool have_server = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--json") {
            options.json_only = true;
            continue;
        }
        if (!arg.starts_with("--")) {
            auto nid = lnet::parse_nid(arg);
            if (!nid || have_server) {
                error = "not a server NID (or a second one): '" + std::string(arg) + "'";
                return std::nullopt;
            }
            options.server = *nid;
            have_server = true;
            continue;
        }
        if (arg == "--mix") {
            if (i + 1 >= argc || !parse_mix(argv[++i], options)) {
                error = "--mix needs four percentages adding up to 100, e.g. 40,30,15,15";
                return std::nullopt;
            }
            continue;
        }
        uint64_t value = 0;
        if (i + 1 >= argc || !parse_number(argv[i + 1], value)) {
            error = std::string(arg) + " needs a number";
            return std::nullopt;
        }
        ++i;
        if (arg == "--seconds") options.duration = std::chrono::seconds(value);
        else if (arg == "--clients") options.clients = static_cast<unsigned>(value);
        else if (arg == "--objects") options.objects = static_cast<unsigned>(value);
        else if (arg == "--first-object") options.first_object = value;
        else if (arg == "--object-span") options.object_span = value;
        else if (arg == "--max-io") options.max_io = value;
        else if (arg == "--seed") options.seed = value;
        else if (arg == "--port") options.port = static_cast<uint16_t>(value);
        else if (arg == "--timeout-ms") options.rpc_timeout = std::chrono::milliseconds(value);
        else {
            error = "unknown option " + std::string(arg);
            return std::nullopt;
        }
    }
    if (!have_server)
        error = "the server's NID is missing (e.g. 10.77.0.1@tcp)";
    else if (options.clients == 0 || options.objects == 0 || options.max_io == 0 ||
             options.object_span < options.max_io)
        error = "--clients, --objects and --max-io must be positive, and --object-span at least --max-io";
    if (!error.empty())
        return std::nullopt;
    return options;
}

}  // namespace ostd::perf::soak
