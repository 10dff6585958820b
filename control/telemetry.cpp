#include "control/telemetry.hpp"

#include <rte_telemetry.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "control/cli/worker_query.hpp"

namespace ostd::control {
namespace {

// The appliance the handlers describe; null once it is going away. The lock
// keeps it alive for the length of one handler.
std::mutex attached_lock;
ApplianceContext* attached = nullptr;

// One counter per worker, as a u64 array.
template <typename Read>
void add_column(rte_tel_data* dict, const char* name, dataplane::Dataplane& dataplane, Read read)
{
    rte_tel_data* column = rte_tel_data_alloc();
    if (column == nullptr)
        return;
    rte_tel_data_start_array(column, RTE_TEL_U64_VAL);
    for (auto& worker : dataplane.workers())
        rte_tel_data_add_array_u64(column, read(*worker));
    rte_tel_data_add_dict_container(dict, name, column, 0);
}

uint64_t lnet_total(const std::array<lnet::Counter, 5>& by_type)
{
    uint64_t sum = 0;
    for (const lnet::Counter& c : by_type)
        sum += c.get();
    return sum;
}

int ostd_stats(const char*, const char*, rte_tel_data* out)
{
    std::lock_guard guard(attached_lock);
    if (attached == nullptr)
        return -1;
    uint64_t rx_packets = 0, rx_bytes = 0, tx_packets = 0, tx_bytes = 0, lnet_messages = 0, received = 0, sent = 0,
             lnet_drops = 0, net_drops = 0, handoffs = 0, pushbacks = 0, events = 0;
    for (auto& worker : attached->dataplane.workers()) {
        const auto& s = worker->stats();
        const auto& c = worker->endpoint().counters();  // Counters: atomics
        rx_packets += s.rx_packets.get();
        rx_bytes += s.rx_bytes.get();
        tx_packets += s.tx_packets.get();
        tx_bytes += s.tx_bytes.get();
        lnet_messages += s.lnet_messages.get();
        handoffs += s.handoffs_out.get();
        pushbacks += s.pushbacks.get() + c.pushbacks.get();
        net_drops += s.drops.total();
        received += lnet_total(c.received);
        sent += lnet_total(c.sent);
        lnet_drops += c.drops.total();
        for (const lnet::Counter& e : s.events)
            events += e.get();
    }
    rte_tel_data_start_dict(out);
    const std::pair<const char*, uint64_t> totals[] = {
        {"rx_packets", rx_packets}, {"rx_bytes", rx_bytes}, {"tx_packets", tx_packets},
        {"tx_bytes", tx_bytes}, {"lnet_messages", lnet_messages}, {"lnet_received", received},
        {"lnet_sent", sent}, {"lnet_drops", lnet_drops}, {"net_drops", net_drops},
        {"drops_total", lnet_drops + net_drops}, {"handoffs", handoffs}, {"pushbacks", pushbacks},
        {"events", events}, {"workers", attached->dataplane.workers().size()},
        {"forwarding", attached->dataplane.forwarding() ? 1u : 0u}};
    for (const auto& [name, value] : totals)
        rte_tel_data_add_dict_u64(out, name, value);
    return 0;
}

int ostd_workers(const char*, const char*, rte_tel_data* out)
{
    std::lock_guard guard(attached_lock);
    if (attached == nullptr)
        return -1;
    auto& dp = attached->dataplane;
    using W = dataplane::Worker;
    rte_tel_data_start_dict(out);
    add_column(out, "worker", dp, [](W& w) { return uint64_t{w.index()}; });
    add_column(out, "rx_packets", dp, [](W& w) { return w.stats().rx_packets.get(); });
    add_column(out, "rx_bytes", dp, [](W& w) { return w.stats().rx_bytes.get(); });
    add_column(out, "tx_packets", dp, [](W& w) { return w.stats().tx_packets.get(); });
    add_column(out, "tx_bytes", dp, [](W& w) { return w.stats().tx_bytes.get(); });
    add_column(out, "lnet_messages", dp, [](W& w) { return w.stats().lnet_messages.get(); });
    add_column(out, "handoffs_out", dp, [](W& w) { return w.stats().handoffs_out.get(); });
    add_column(out, "handoffs_in", dp, [](W& w) { return w.stats().handoffs_in.get(); });
    add_column(out, "pushbacks", dp, [](W& w) { return w.stats().pushbacks.get(); });
    add_column(out, "net_drops", dp, [](W& w) { return w.stats().drops.total(); });
    add_column(out, "lnet_received", dp, [](W& w) { return lnet_total(w.endpoint().counters().received); });
    add_column(out, "lnet_sent", dp, [](W& w) { return lnet_total(w.endpoint().counters().sent); });
    add_column(out, "lnet_matched", dp, [](W& w) { return w.endpoint().counters().matched.get(); });
    add_column(out, "lnet_drops", dp, [](W& w) { return w.endpoint().counters().drops.total(); });
    add_column(out, "eq_depth", dp, [](W& w) { return uint64_t{w.eq().depth()}; });
    add_column(out, "eq_posted", dp, [](W& w) { return w.eq().posted(); });
    add_column(out, "eq_pushbacks", dp, [](W& w) { return w.eq().pushbacks(); });
    return 0;
}

struct PortalRow {
    uint64_t worker, portal, entries, delayed;
    int lazy;
    const char* kind;
};

int ostd_portals(const char*, const char*, rte_tel_data* out)
{
    std::lock_guard guard(attached_lock);
    if (attached == nullptr)
        return -1;
    auto rows = control::cli::query_workers<std::vector<PortalRow>>(
        attached->dataplane,
        [](dataplane::Worker& w) {  // on the worker's core: its match table
            std::vector<PortalRow> mine;
            const auto& table = w.endpoint().table();
            for (uint32_t p = 0; p < lnet::portal_count; ++p) {
                auto kind = table.kind(p);
                if (kind == lnet::PortalKind::unset && table.entries(p) == 0 && !table.lazy(p))
                    continue;
                const char* name = kind == lnet::PortalKind::wildcard ? "wildcard"
                                   : kind == lnet::PortalKind::unique ? "unique" : "unset";
                mine.push_back({w.index(), p, table.entries(p), w.endpoint().delayed(p), table.lazy(p), name});
            }
            return mine;
        },
        std::chrono::milliseconds(500));
    if (!rows)
        return -1;
    std::vector<PortalRow> all;
    for (auto& mine : *rows)
        all.insert(all.end(), mine.begin(), mine.end());
    if (all.size() > RTE_TEL_MAX_ARRAY_ENTRIES)
        all.resize(RTE_TEL_MAX_ARRAY_ENTRIES);
    rte_tel_data_start_dict(out);
    auto column = [&](const char* name, rte_tel_value_type type, auto add) {
        rte_tel_data* array = rte_tel_data_alloc();
        if (array == nullptr)
            return;
        rte_tel_data_start_array(array, type);
        for (const PortalRow& row : all)
            add(array, row);
        rte_tel_data_add_dict_container(out, name, array, 0);
    };
    column("worker", RTE_TEL_U64_VAL, [](rte_tel_data* a, const PortalRow& r) { rte_tel_data_add_array_u64(a, r.worker); });
    column("portal", RTE_TEL_U64_VAL, [](rte_tel_data* a, const PortalRow& r) { rte_tel_data_add_array_u64(a, r.portal); });
    column("kind", RTE_TEL_STRING_VAL, [](rte_tel_data* a, const PortalRow& r) { rte_tel_data_add_array_string(a, r.kind); });
    column("lazy", RTE_TEL_INT_VAL, [](rte_tel_data* a, const PortalRow& r) { rte_tel_data_add_array_int(a, r.lazy); });
    column("entries", RTE_TEL_U64_VAL, [](rte_tel_data* a, const PortalRow& r) { rte_tel_data_add_array_u64(a, r.entries); });
    column("delayed", RTE_TEL_U64_VAL, [](rte_tel_data* a, const PortalRow& r) { rte_tel_data_add_array_u64(a, r.delayed); });
    return 0;
}

struct LdlmSnapshot {
    ldlm::Counters counters;
    ldlm::LockLimits limits;
    size_t locks = 0;
    size_t exports = 0;
    size_t clients_with_locks = 0;
    size_t busiest_client = 0;    // locks of the client holding most
    size_t busiest_resource = 0;  // locks on the resource with most
};

// The lock budget as telemetry shows it: how close the busiest client and
// resource are to their caps. Runs on the control core.
void take_budget(const ldlm::LockNamespace& ns, LdlmSnapshot& out)
{
    out.limits = ns.limits();
    auto clients = ns.client_lock_counts();
    out.clients_with_locks = clients.size();
    for (const ldlm::ClientLockCount& c : clients)
        out.busiest_client = std::max(out.busiest_client, c.locks);
    for (const ldlm::ResourceLockCount& r : ns.resource_lock_counts())
        out.busiest_resource = std::max(out.busiest_resource, r.granted + r.waiting);
}

int ostd_ldlm(const char*, const char*, rte_tel_data* out)
{
    std::lock_guard guard(attached_lock);
    if (attached == nullptr)
        return -1;
    // The namespace and the exports belong to the control core: snapshot them
    // there (shared, so a late answer cannot write into a finished handler).
    auto snapshot = std::make_shared<LdlmSnapshot>();
    if (!attached->control.call(
            [snapshot](ControlCore& core) {
                snapshot->counters = core.ldlm().locks().counters();
                snapshot->locks = core.ldlm().locks().lock_count();
                snapshot->exports = core.exports().size();
                take_budget(core.ldlm().locks(), *snapshot);
            },
            std::chrono::milliseconds(500)))
        return -1;
    const ldlm::Counters& c = snapshot->counters;
    const LdlmServiceStats& s = attached->control.ldlm().stats();  // Counters: atomics
    rte_tel_data_start_dict(out);
    const std::pair<const char*, uint64_t> values[] = {
        {"locks", snapshot->locks}, {"exports", snapshot->exports}, {"enqueues", c.enqueues},
        {"grants", c.grants}, {"waits", c.waits}, {"refusals", c.refusals},
        {"speculative_refusals", c.speculative_refusals}, {"cancels", c.cancels}, {"expansions", c.expansions},
        {"waiting", c.waiting}, {"blocking_asts", s.blocking_asts.get()},
        {"completion_asts", s.completion_asts.get()}, {"glimpse_asts", s.glimpse_asts.get()},
        {"glimpses", s.glimpses.get()}, {"ast_reply_timeouts", s.ast_reply_timeouts.get()},
        {"evictions", s.evictions.get()}, {"malformed", s.malformed.total()},
        {"client_limit_refusals", c.client_limit_refusals}, {"resource_limit_refusals", c.resource_limit_refusals},
        {"max_locks_per_client", snapshot->limits.max_per_client},
        {"max_locks_per_resource", snapshot->limits.max_per_resource},
        {"clients_with_locks", snapshot->clients_with_locks}, {"busiest_client_locks", snapshot->busiest_client},
        {"busiest_resource_locks", snapshot->busiest_resource}};
    for (const auto& [name, value] : values)
        rte_tel_data_add_dict_u64(out, name, value);
    return 0;
}

void register_once()
{
    static std::once_flag registered;
    std::call_once(registered, [] {
        rte_telemetry_register_cmd("/ostd/stats", ostd_stats, "ostd totals: packets, LNET messages, drops, events");
        rte_telemetry_register_cmd("/ostd/workers", ostd_workers, "ostd counters per worker (arrays by worker)");
        rte_telemetry_register_cmd("/ostd/portals", ostd_portals, "ostd portals in use (parallel arrays)");
        rte_telemetry_register_cmd("/ostd/ldlm", ostd_ldlm, "ostd lock service: locks, exports, enqueues, ASTs, evictions");
    });
}

}  // namespace

TelemetryEndpoints::TelemetryEndpoints(ApplianceContext& context)
{
    register_once();
    std::lock_guard guard(attached_lock);
    attached = &context;
}

TelemetryEndpoints::~TelemetryEndpoints()
{
    std::lock_guard guard(attached_lock);
    attached = nullptr;
}

}  // namespace ostd::control
