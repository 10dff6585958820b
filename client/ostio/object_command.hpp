// What the object subcommands (write, read, stat, punch, sync, locks) share:
// "NID OBJECT" and the connection options, the OstClient they connect, the
// test pattern, and how held locks are printed.
#pragma once

#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "client/ost_client.hpp"
#include "client/striped_file.hpp"
#include "client/ostio/options.hpp"

namespace ostd::client::ostio {

// The options every object command takes, to append to its own.
inline constexpr OptionSpec connection_specs[] = {
    {"port", true}, {"timeout", true}, {"resends", true}, {"json", false}, {"no-expand", false}};
inline constexpr std::string_view connection_usage =
    "  NID            the appliance, e.g. 10.77.0.1@tcp (IPv4 NIDs only)\n"
    "  OBJECT         object id, or SEQ:ID (decimal)\n"
    "  --port P       its UDP port (default 988)\n"
    "  --timeout MS   how long to wait for each reply (default 1000)\n"
    "  --resends N    resends of an unanswered request (default 3)\n"
    "  --no-expand    locks taken with NO_EXPANSION (exactly the extent used)\n"
    "  --json         print one JSON object instead of text\n";

struct ObjectArgs {
    OstClientConfig config;
    ObjectId object;
    bool json = false;
    bool no_expand = false;
    ParsedArgs parsed;  // for the command's own options
    std::optional<Layout> layout;  // --ost given (see layout_options.hpp)
};

// specs: the command's own options (connection_specs are added). With
// striped, the layout options too: "--ost NID ... OBJECT" instead of "NID OBJECT".
lnet::Result<ObjectArgs, std::string> read_object_args(std::span<const std::string_view> raw,
                                                       std::span<const OptionSpec> specs, bool striped = false);
lnet::Result<ObjectId, std::string> parse_object(std::string_view text);

// Connects; the error is a sentence.
lnet::Result<std::unique_ptr<OstClient>, std::string> connect_client(const ObjectArgs& args);
// The file the arguments name: their layout, or the one object on the one
// appliance (a single stripe). Connects to every appliance.
lnet::Result<std::unique_ptr<StripedFile>, std::string> open_file(const ObjectArgs& args);
// Every client's locks, appliance by appliance; and their OST_WRITE RPCs.
std::vector<ClientLock> file_locks(StripedFile& file);
uint64_t file_write_rpcs(StripedFile& file);

// Byte p of the test pattern with this seed: a function of the absolute
// offset, so any range of a patterned object can be checked.
void fill_pattern(uint64_t seed, uint64_t offset, std::span<std::byte> out);
// The offset of the first byte that differs from the pattern, or nothing.
std::optional<uint64_t> check_pattern(uint64_t seed, uint64_t offset, std::span<const std::byte> data);

void print_locks(const std::vector<ClientLock>& locks, std::ostream& out);
std::string locks_json(const std::vector<ClientLock>& locks);
std::string object_text(ObjectId object);

}  // namespace ostd::client::ostio
