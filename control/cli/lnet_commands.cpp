// LNET commands. JSON answers, one object each:
//
//   show lnet stats ->
//     {"workers": [{"worker",
//                   "received": {"ack", "put", "get", "reply", "hello"}, "sent": {same keys},
//                   "noops", "matched", "delivered_bytes", "delayed", "pushbacks", "tx_failures",
//                   "drops_total", "drops": {<every DropReason name>: n},
//                   "net_drops_total", "net_drops": {<every NetDrop name>: n}}]}
//   clear lnet stats -> {"cleared": "lnet"}
//   show portals -> {"workers": [{"worker", "portals": [{"portal", "kind", "lazy", "entries",
//                                                         "delayed"}]}]}   (portals in use only)
//   show eq -> {"workers": [{"worker", "capacity", "depth", "posted", "pushbacks",
//                             "to_control": {"forwarded", "refused"}}],   (requests for the control core)
//               "control": {"events": {"get", "put", "reply", "ack", "send", "unlink"},
//                           "loops", "idle_sleeps"}}
//   show peers -> {"workers": [{"worker", "peers": [{"nid", "ip", "port", "mac"}]}]}
#include <rte_ether.h>

#include <array>
#include <string>

#include "control/cli/command_groups.hpp"
#include "control/cli/worker_query.hpp"
#include "control/control_core.hpp"
#include "lnet_core/drop_reason.hpp"
#include "lnet_core/nid.hpp"

namespace ostd::control::cli {
namespace {

constexpr std::array<const char*, 5> msg_type_names{"ack", "put", "get", "reply", "hello"};
constexpr std::array<const char*, 7> event_type_names{"", "get", "put", "reply", "ack", "send", "unlink"};

Value by_type(const std::array<lnet::Counter, 5>& counters)
{
    Value out;
    for (size_t i = 0; i < counters.size(); ++i)
        out.set(msg_type_names[i], counters[i].get());
    return out;
}

Value worker_lnet_stats(dataplane::Worker& worker)
{
    const lnet::EndpointCounters& c = worker.endpoint().counters();  // Counters: any thread
    Value drops = by_reason(c.drops, lnet::drop_reason_name);
    Value net_drops = by_reason(worker.stats().drops, dataplane::net_drop_name);
    return Value::object()
        .set("worker", worker.index())
        .set("received", by_type(c.received))
        .set("sent", by_type(c.sent))
        .set("noops", c.noops.get())
        .set("matched", c.matched.get())
        .set("delivered_bytes", c.delivered_bytes.get())
        .set("delayed", c.delayed.get())
        .set("pushbacks", c.pushbacks.get())
        .set("tx_failures", c.tx_failures.get())
        .set("drops_total", c.drops.total())
        .set("drops", std::move(drops))
        .set("net_drops_total", worker.stats().drops.total())
        .set("net_drops", std::move(net_drops));
}

void show_lnet_stats(Session& session)
{
    auto workers = Value::array();
    for (auto& worker : session.context().dataplane.workers())
        workers.add(worker_lnet_stats(*worker));
    session.show(Value::object().set("workers", std::move(workers)));
}

void clear_lnet_stats(Session& session)
{
    bool answered = session.context().dataplane.run_on_workers(
        [](dataplane::Worker& worker) {
            lnet::EndpointCounters& c = worker.endpoint().counters();
            for (auto* group : {&c.received, &c.sent})
                for (lnet::Counter& counter : *group)
                    counter.reset();
            for (lnet::Counter* counter : {&c.noops, &c.matched, &c.delivered_bytes, &c.delayed, &c.pushbacks,
                                           &c.tx_failures})
                counter->reset();
            c.drops.reset();
            worker.stats().drops.reset();
        },
        std::chrono::seconds(2));
    if (!answered)
        return session.error("a worker did not answer within 2 s");
    session.show(Value::object().set("cleared", "lnet"));
}

const char* kind_name(lnet::PortalKind kind)
{
    switch (kind) {
    case lnet::PortalKind::wildcard: return "wildcard";
    case lnet::PortalKind::unique: return "unique";
    default: return "unset";
    }
}

// Read on the worker's core: the match table is the worker's alone.
Value worker_portals(dataplane::Worker& worker)
{
    const lnet::Endpoint& endpoint = worker.endpoint();
    const lnet::MatchTable& table = endpoint.table();
    auto portals = Value::array();
    for (uint32_t p = 0; p < lnet::portal_count; ++p) {
        if (table.kind(p) == lnet::PortalKind::unset && table.entries(p) == 0 && !table.lazy(p) &&
            endpoint.delayed(p) == 0)
            continue;
        portals.add(Value::object()
                        .set("portal", p)
                        .set("kind", kind_name(table.kind(p)))
                        .set("lazy", table.lazy(p))
                        .set("entries", table.entries(p))
                        .set("delayed", endpoint.delayed(p)));
    }
    return Value::object().set("worker", worker.index()).set("portals", std::move(portals));
}

std::string format_mac(const rte_ether_addr& mac)
{
    char text[RTE_ETHER_ADDR_FMT_SIZE];
    rte_ether_format_addr(text, sizeof text, &mac);
    return text;
}

Value worker_peers(dataplane::Worker& worker)
{
    auto peers = Value::array();
    worker.peers().for_each([&](lnet::Nid nid, const dataplane::UdpPeer& where) {
        peers.add(Value::object()
                      .set("nid", lnet::format_nid(nid))
                      .set("ip", lnet::format_ipv4(where.ip))
                      .set("port", where.port)
                      .set("mac", format_mac(where.mac)));
    });
    return Value::object().set("worker", worker.index()).set("peers", std::move(peers));
}

// Runs read on every worker's core and answers {"workers": [...]}.
void show_from_workers(Session& session, Value (*read)(dataplane::Worker&))
{
    auto answers = query_workers<Value>(session.context().dataplane, read);
    if (!answers)
        return session.error("a worker did not answer within 2 s");
    auto workers = Value::array();
    for (Value& answer : *answers)
        workers.add(std::move(answer));
    session.show(Value::object().set("workers", std::move(workers)));
}

// The worker's requests for the control core (portals 28, 17): forwarded, and
// refused by a full ring (those wait in their buffers and go later).
Value to_control(const ControlCore& control, size_t worker, size_t workers)
{
    const auto& intakes = control.intakes();  // per worker, then per portal
    size_t per_worker = workers ? intakes.size() / workers : 0;
    uint64_t forwarded = 0, refused = 0;
    for (size_t i = worker * per_worker; i < (worker + 1) * per_worker; ++i)
        if (intakes[i]) {
            forwarded += intakes[i]->stats().forwarded.get();
            refused += intakes[i]->stats().ring_full.get();
        }
    return Value::object().set("forwarded", forwarded).set("refused", refused);
}

void show_eq(Session& session)
{
    auto workers = Value::array();
    size_t count = session.context().dataplane.workers().size();
    for (auto& worker : session.context().dataplane.workers()) {
        lnet::EventQueue& eq = worker->eq();  // indices and Counters: atomics
        const dataplane::WorkerStats& stats = worker->stats();
        Value events;
        for (size_t type = 1; type < stats.events.size(); ++type)
            events.set(event_type_names[type], stats.events[type].get());
        workers.add(Value::object()
                        .set("worker", worker->index())
                        .set("capacity", eq.capacity())
                        .set("depth", eq.depth())
                        .set("posted", eq.posted())
                        .set("pushbacks", eq.pushbacks())
                        .set("events", std::move(events))
                        .set("unclaimed_events", stats.unclaimed_events.get())
                        .set("to_control", to_control(session.context().control, worker->index(), count)));
    }
    const ControlStats& stats = session.context().control.stats();
    session.show(Value::object()
                     .set("workers", std::move(workers))
                     .set("control", Value::object()
                                         .set("loops", stats.loops.get())
                                         .set("idle_sleeps", stats.idle_sleeps.get())));
}

}  // namespace

void register_lnet_commands(CommandSet& commands)
{
    commands.add({"show", "lnet", "stats"}, "LNET messages by type, matches, drops by reason, per worker",
                 [](Session& s, const Words&) { show_lnet_stats(s); });
    commands.add({"clear", "lnet", "stats"}, "reset the LNET and network drop counters",
                 [](Session& s, const Words&) { clear_lnet_stats(s); });
    commands.add({"show", "portals"}, "portals in use per worker: kind, lazy, entries, delayed",
                 [](Session& s, const Words&) { show_from_workers(s, worker_portals); });
    commands.add({"show", "eq"}, "event queues per worker, with the events each drained by type",
                 [](Session& s, const Words&) { show_eq(s); });
    commands.add({"show", "peers"}, "peers each worker has heard from: NID, IPv4:port, MAC",
                 [](Session& s, const Words&) { show_from_workers(s, worker_peers); });
}

}  // namespace ostd::control::cli
