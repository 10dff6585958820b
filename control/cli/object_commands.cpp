// Object commands: what the object store holds and what the OST I/O engines did.
// ObjectStore::list() is thread-safe (objstore/object_store.hpp: every method may
// run on several threads), so the CLI thread reads it directly; it may block on
// the file backend's directory, which only this side thread feels.
//
//   show objects -> {"kind", "objects": [{"id", "size", "blocks"}],
//                    "io": [{"worker", "writes", "reads", "punches", "attrs", "bytes_written",
//                            "bytes_read", "in_progress"?, "timeouts", "not_connected", "resent_replayed",
//                            "bulk_failures", "malformed"}]}
#include "control/cli/command_groups.hpp"
#include "control/control_core.hpp"

namespace ostd::control::cli {
namespace {

void show_objects(Session& session)
{
    ost::ObjectService* objects = session.context().control.objects();
    if (!objects) {
        session.error("the object service is not running");
        return;
    }
    Value list = Value::array();
    for (const objstore::ObjectInfo& info : objects->store().list())
        list.add(Value::object().set("id", info.id).set("size", info.size).set("blocks", info.blocks));
    Value io = Value::array();
    unsigned worker = 0;
    for (const auto& engine : objects->engines()) {
        if (engine) {
            const ost::OstIoStats& s = engine->io().stats();
            io.add(Value::object()
                       .set("worker", worker)
                       .set("writes", s.writes.get())
                       .set("reads", s.reads.get())
                       .set("punches", s.punches.get())
                       .set("attrs", s.attrs.get())
                       .set("bytes_written", s.bytes_written.get())
                       .set("bytes_read", s.bytes_read.get())
                       .set("timeouts", s.timeouts.get())
                       .set("not_connected", s.not_connected.get())
                       .set("resent_replayed", s.resent_replayed.get())
                       .set("bulk_failures", s.bulk_failures.get())
                       .set("malformed", s.malformed.get()));
        }
        ++worker;
    }
    session.show(Value::object()
                     .set("kind", std::string(objstore::to_string(objects->store().kind())))
                     .set("objects", list)
                     .set("io", io));
}

}  // namespace

void register_object_commands(CommandSet& commands)
{
    commands.add({"show", "objects"}, "objects in the store (id, size, blocks) and OST I/O counters",
                 [](Session& s, const Words&) { show_objects(s); });
}

}  // namespace ostd::control::cli
