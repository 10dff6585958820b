#include "client/ostio/sync_command.hpp"

#include <ostream>

#include "client/ostio/json.hpp"
#include "client/ostio/object_command.hpp"

namespace ostd::client::ostio {

namespace {

constexpr std::string_view usage_text =
    "usage: ostio sync NID OBJECT [options]\n"
    "\n"
    "OST_SYNC of the whole object; prints the size the server reports.\n";

int run(std::span<const std::string_view> raw, CommandIo io)
{
    auto args = read_object_args(raw, {});
    if (!args) {
        io.err << "ostio sync: " << args.error() << "\n" << usage_text << connection_usage;
        return exit_usage;
    }
    auto client = connect_client(*args);
    if (!client) {
        io.err << "ostio sync: " << client.error() << "\n";
        return exit_failed;
    }
    auto synced = (*client)->io().sync(args->object);
    (*client)->disconnect();
    if (!synced) {
        io.err << "ostio sync: " << synced.error().detail << "\n";
        return exit_failed;
    }
    if (args->json)
        io.out << "{\"object\":" << json_string(object_text(args->object)) << ",\"size\":" << synced->size_ << "}\n";
    else
        io.out << "synced object " << object_text(args->object) << ", size " << synced->size_ << "\n";
    return exit_ok;
}

}  // namespace

Command sync_command() { return Command{"sync", "OST_SYNC an object", usage_text, run}; }

}  // namespace ostd::client::ostio
