#include "client/ostio/stat_command.hpp"

#include <ostream>

#include "client/ostio/json.hpp"
#include "client/ostio/object_command.hpp"

namespace ostd::client::ostio {

namespace {

constexpr std::string_view usage_text =
    "usage: ostio stat NID OBJECT [options]\n"
    "\n"
    "The object's size by glimpse: an LDLM_ENQUEUE of a PR lock with an\n"
    "IT_GLIMPSE intent. The server grants the lock (size in the LVB) or\n"
    "answers 301 after glimpsing the writers' locks.\n";

int run(std::span<const std::string_view> raw, CommandIo io)
{
    auto args = read_object_args(raw, {});
    if (!args) {
        io.err << "ostio stat: " << args.error() << "\n" << usage_text << connection_usage;
        return exit_usage;
    }
    auto client = connect_client(*args);
    if (!client) {
        io.err << "ostio stat: " << client.error() << "\n";
        return exit_failed;
    }
    OstClient& c = **client;
    auto stat = c.stat(c.open(args->object));
    auto locks = c.locks().snapshot();
    c.disconnect();
    if (!stat) {
        io.err << "ostio stat: " << stat.error().detail << "\n";
        return exit_failed;
    }
    if (args->json)
        io.out << "{\"object\":" << json_string(object_text(args->object)) << ",\"size\":" << stat->size
               << ",\"lock_granted\":" << (stat->lock_granted ? "true" : "false") << ",\"locks\":" << locks_json(locks)
               << "}\n";
    else
        io.out << "object " << object_text(args->object) << ": size " << stat->size
               << (stat->lock_granted ? " (glimpse lock granted)\n" : " (glimpse answered without a lock)\n");
    return exit_ok;
}

}  // namespace

Command stat_command() { return Command{"stat", "an object's size by glimpse (LDLM_ENQUEUE with IT_GLIMPSE)", usage_text, run}; }

}  // namespace ostd::client::ostio
