#include "client/ostio/stat_command.hpp"

#include <ostream>

#include "client/ostio/json.hpp"
#include "client/ostio/layout_options.hpp"
#include "client/ostio/object_command.hpp"

namespace ostd::client::ostio {

namespace {

constexpr std::string_view usage_text =
    "usage: ostio stat NID OBJECT [options]\n"
    "       ostio stat --ost NID [--ost NID ...] OBJECT [layout options]\n"
    "\n"
    "The object's size by glimpse: an LDLM_ENQUEUE of a PR lock with an\n"
    "IT_GLIMPSE intent. The server grants the lock (size in the LVB) or\n"
    "answers 301 after glimpsing the writers' locks. Striped (--ost): one\n"
    "glimpse per stripe object, the file size the largest any of them implies.\n";

// One glimpse per stripe object; the file's size merged from their sizes.
int run_striped(const ObjectArgs& args, CommandIo io)
{
    auto opened = open_file(args);
    if (!opened) {
        io.err << "ostio stat: " << opened.error() << "\n";
        return exit_failed;
    }
    StripedFile& file = **opened;
    auto stat = file.stat();
    auto locks = file_locks(file);
    file.disconnect();
    if (!stat) {
        io.err << "ostio stat: " << stat.error().detail << "\n";
        return exit_failed;
    }
    std::string sizes;
    for (size_t i = 0; i < stat->object_sizes.size(); ++i)
        sizes += (i ? "," : "") + std::to_string(stat->object_sizes[i]);
    if (args.json)
        io.out << "{\"object\":" << json_string(object_text(args.object)) << ",\"size\":" << stat->size
               << ",\"object_sizes\":[" << sizes << "],\"layout\":" << layout_json(*args.layout)
               << ",\"locks\":" << locks_json(locks) << "}\n";
    else
        io.out << "file " << object_text(args.object) << ": size " << stat->size << " (stripe object sizes " << sizes
               << "; " << layout_text(*args.layout) << ")\n";
    return exit_ok;
}

int run(std::span<const std::string_view> raw, CommandIo io)
{
    auto args = read_object_args(raw, {}, true);
    if (!args) {
        io.err << "ostio stat: " << args.error() << "\n" << usage_text << connection_usage << layout_usage;
        return exit_usage;
    }
    if (args->layout)
        return run_striped(*args, io);
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
