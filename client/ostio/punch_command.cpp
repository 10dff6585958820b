#include "client/ostio/punch_command.hpp"

#include <array>
#include <ostream>

#include "client/ostio/json.hpp"
#include "client/ostio/object_command.hpp"

namespace ostd::client::ostio {

namespace {

constexpr std::string_view usage_text =
    "usage: ostio punch NID OBJECT --offset O [--size S] [options]\n"
    "\n"
    "OST_PUNCH under a PW lock: frees [O, O+S-1], or truncates the object to O\n"
    "without --size.\n";

constexpr std::array<OptionSpec, 2> specs{{{"offset", true}, {"size", true}}};

int run(std::span<const std::string_view> raw, CommandIo io)
{
    auto args = read_object_args(raw, specs);
    auto offset = args ? uint_option(args->parsed, "offset", 0, 0, UINT64_MAX / 2) : lnet::Result<uint64_t, std::string>(0);
    auto size = args ? uint_option(args->parsed, "size", 0, 1, UINT64_MAX / 2) : lnet::Result<uint64_t, std::string>(0);
    std::string error = !args ? args.error() : !offset ? offset.error() : !size ? size.error() : "";
    if (!error.empty()) {
        io.err << "ostio punch: " << error << "\n" << usage_text << connection_usage;
        return exit_usage;
    }
    uint64_t end = args->parsed.has("size") ? *offset + *size - 1 : object_eof;
    auto client = connect_client(*args);
    if (!client) {
        io.err << "ostio punch: " << client.error() << "\n";
        return exit_failed;
    }
    OstClient& c = **client;
    auto punched = c.punch(c.open(args->object, {.no_expand = args->no_expand}), *offset, end);
    c.disconnect();
    if (!punched) {
        io.err << "ostio punch: " << punched.error().detail << "\n";
        return exit_failed;
    }
    std::string end_text = end == object_eof ? "EOF" : std::to_string(end);
    if (args->json)
        io.out << "{\"object\":" << json_string(object_text(args->object)) << ",\"start\":" << *offset
               << ",\"end\":" << json_string(end_text) << "}\n";
    else
        io.out << "punched object " << object_text(args->object) << " [" << *offset << ", " << end_text << "]\n";
    return exit_ok;
}

}  // namespace

Command punch_command() { return Command{"punch", "free a range of an object, or truncate it (OST_PUNCH)", usage_text, run}; }

}  // namespace ostd::client::ostio
