// A small command-line option parser for ostio's subcommands: "--name VALUE",
// "--name=VALUE", flags, positionals, and "--" to end options. Errors are
// sentences the command prints as they are.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "client/datagram_loss.hpp"
#include "lnet_core/nid.hpp"
#include "lnet_core/result.hpp"

namespace ostd::client::ostio {

struct OptionSpec {
    std::string_view name;  // without the dashes: "port"
    bool takes_value = false;
};

// TEST ONLY: accepted by every command (parse_options adds them), read by
// connection_options: drop this fraction of the client's datagrams, each way
// (--test-drop-rate) or one way (--test-drop-tx-rate, --test-drop-rx-rate),
// with the drop decisions seeded by --test-drop-seed (default 1). To test
// resends; never for real use.
inline constexpr OptionSpec test_loss_specs[] = {
    {"test-drop-rate", true}, {"test-drop-tx-rate", true}, {"test-drop-rx-rate", true}, {"test-drop-seed", true}};

struct ParsedArgs {
    std::vector<std::string_view> positional;
    std::map<std::string_view, std::string_view> values;  // flags map to ""

    bool has(std::string_view name) const { return values.contains(name); }
    std::optional<std::string_view> value(std::string_view name) const;
};

lnet::Result<ParsedArgs, std::string> parse_options(std::span<const std::string_view> args,
                                                   std::span<const OptionSpec> specs);

// Decimal unsigned integer in [min, max]; empty on anything else.
std::optional<uint64_t> parse_uint(std::string_view text, uint64_t min, uint64_t max);

// Reads option `name` as an integer in [min, max] (fallback when absent);
// the error names the option and the accepted range.
lnet::Result<uint64_t, std::string> uint_option(const ParsedArgs& args, std::string_view name, uint64_t fallback,
                                                uint64_t min, uint64_t max);

// The appliance a command names: a tcp (IPv4) NID, or why it cannot be reached.
lnet::Result<lnet::Nid, std::string> parse_target_nid(std::string_view text);

// --port, --timeout (ms), --resends and the test-only loss options, as every
// command talking to an appliance takes them (an option a command does not
// declare keeps its default).
struct ConnectionOptions {
    uint16_t port = 988;
    std::chrono::milliseconds timeout{1000};
    unsigned resends = 3;
    LossConfig loss;  // TEST ONLY (test_loss_specs)
};
lnet::Result<ConnectionOptions, std::string> connection_options(const ParsedArgs& args);

}  // namespace ostd::client::ostio
