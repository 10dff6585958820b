// Object commands: what the object store holds and what the OST I/O engines did.
// ObjectStore::list() is thread-safe (objstore/object_store.hpp: every method may
// run on several threads), so the CLI thread reads it directly; it may block on
// the file backend's directory, which only this side thread feels.
//
//   show objects -> {"kind", "objects": [{"id", "size", "blocks"}],
//                    "io": [{"worker", "writes", "reads", "punches", "attrs", "bytes_written",
//                            "bytes_read", "timeouts", "not_connected", "resent_replayed",
//                            "resent_in_progress", "bulk_failures", "bulk_retries",
//                            "malformed", "malformed_by_reason", "abandoned",
//                            "in_progress", "bulk_mds", "mds"}]}
// The last three are read on the worker's own core (its RPCs, its bulk MDs, all
// its live MDs): they say whether anything of a dead client is left.
#include "control/cli/command_groups.hpp"
#include "control/cli/worker_query.hpp"
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
    struct Held {
        uint64_t in_progress = 0, bulk_mds = 0, mds = 0;
    };
    auto held = query_workers<Held>(session.context().dataplane, [objects](dataplane::Worker& w) {
        const auto& engine = objects->engines()[w.index()];
        if (!engine)
            return Held{};
        return Held{engine->io().in_progress(), engine->io().bulk_mds(), w.endpoint().table().mds().live_count()};
    });
    if (!held)
        return session.error("a worker did not answer within 2 s");
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
                       .set("resent_in_progress", s.resent_in_progress.get())
                       .set("bulk_failures", s.bulk_failures.get())
                       .set("bulk_retries", s.bulk_retries.get())
                       .set("malformed", s.malformed.total())
                       .set("malformed_by_reason", by_reason(s.malformed, lnet::ptlrpc::message_error_name))
                       .set("abandoned", s.abandoned.get())
                       .set("in_progress", (*held)[worker].in_progress)
                       .set("bulk_mds", (*held)[worker].bulk_mds)
                       .set("mds", (*held)[worker].mds));
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
