// LDLM commands: the lock namespace belongs to the control core, so these
// read and change it there (call()).
//
//   show ldlm namespaces -> {"namespaces": [{"name": "ostd", "locks", "expansion", "enqueues", "resends",
//                            "grants", "waits", "refusals", "speculative_refusals", "group_refusals",
//                            "client_limit_refusals", "resource_limit_refusals", "max_locks_per_client",
//                            "max_locks_per_resource",
//                            "blocking_asts", "completion_asts", "cancels", "releases", "expansions",
//                            "glimpse_plans", "glimpse_asts", "waiting", "granted": {"EX": n, ...}}],
//                            "service": {"enqueues", "cancels", "malformed", "malformed_by_reason", "asts_in_flight",
//                            "callbacks_pending", "glimpses_pending", "ast_replies", "ast_stray_replies",
//                            "ast_reply_timeouts", "ast_send_refused", "ast_no_export", "ast_lock_unknown", "glimpse_resends",
//                            "evictions",
//                            "glimpses", "callback_timeout_ms", "glimpse_timeout_ms",
//                            "ast_sent", "ast_resent", "ast_send_pushback", "ast_exhausted"}}
//                            (the last four summed over the workers that send and resend ASTs)
//   show locks OBJECT    -> {"object", "size", "locks": [{"handle": "0x...", "client": "0x...",
//                            "client_handle": "0x...", "mode", "state", "start", "end",
//                            "req_start", "req_end", "gid", "flags"}]}  (resource {OBJECT, 0, 0, 0})
//   show ldlm clients    -> {"max_locks_per_client", "client_limit_refusals", "clients": [{"client": "0x...",
//                            "nid", "uuid", "locks"}]}  (clients holding locks, most first; nid "" if gone)
//   show ldlm resources  -> {"max_locks_per_resource", "resource_limit_refusals", "resources": [{"object", "seq",
//                            "granted", "waiting"}]}  (resources with locks, most first)
//   set ldlm expansion on|off -> {"expansion": true|false}
//   set ldlm max_locks_per_client|max_locks_per_resource N -> both caps (later enqueues)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "control/cli/command_groups.hpp"
#include "control/control_core.hpp"

namespace ostd::control::cli {
namespace {

constexpr auto control_timeout = std::chrono::milliseconds(2000);

std::string hex(uint64_t value)
{
    char text[24];
    std::snprintf(text, sizeof text, "0x%016llx", static_cast<unsigned long long>(value));
    return text;
}

// Runs build on the control core and shows what it made.
void show_from_control(Session& session, std::function<Value(ControlCore&)> build)
{
    auto answer = std::make_shared<Value>();
    bool answered = session.context().control.call([answer, build](ControlCore& core) { *answer = build(core); },
                                                   control_timeout);
    if (!answered) {
        session.error("the control core did not answer within 2 s");
        return;
    }
    session.show(*answer);
}

Value namespace_counters(const ldlm::LockNamespace& ns)
{
    const ldlm::Counters& c = ns.counters();
    Value granted = Value::object();
    for (ldlm::LockMode mode : ldlm::all_modes)
        granted.set(ldlm::mode_name(mode), c.granted_per_mode[ldlm::mode_index(mode)]);
    return Value::object()
        .set("name", "ostd")
        .set("locks", ns.lock_count())
        .set("expansion", ns.expansion().enabled)
        .set("enqueues", c.enqueues)
        .set("resends", c.resends)
        .set("grants", c.grants)
        .set("waits", c.waits)
        .set("refusals", c.refusals)
        .set("speculative_refusals", c.speculative_refusals)
        .set("group_refusals", c.group_refusals)
        .set("client_limit_refusals", c.client_limit_refusals)
        .set("resource_limit_refusals", c.resource_limit_refusals)
        .set("max_locks_per_client", ns.limits().max_per_client)
        .set("max_locks_per_resource", ns.limits().max_per_resource)
        .set("blocking_asts", c.blocking_asts)
        .set("completion_asts", c.completion_asts)
        .set("cancels", c.cancels)
        .set("releases", c.evictions)  // cancel_all: disconnects and evictions
        .set("expansions", c.expansions)
        .set("glimpse_plans", c.glimpse_plans)
        .set("glimpse_asts", c.glimpse_asts)
        .set("waiting", c.waiting)
        .set("granted", granted);
}

Value service_counters(const LdlmService& ldlm)
{
    const LdlmServiceStats& s = ldlm.stats();
    return Value::object()
        .set("enqueues", s.enqueues.get())
        .set("cancels", s.cancels.get())
        .set("malformed", s.malformed.total())
        .set("malformed_by_reason", by_reason(s.malformed, lnet::ptlrpc::message_error_name))
        .set("asts_in_flight", ldlm.asts_in_flight())
        .set("callbacks_pending", ldlm.callbacks_pending())
        .set("glimpses_pending", ldlm.glimpses_pending())
        .set("ast_replies", s.ast_replies.get())
        .set("ast_stray_replies", s.ast_stray_replies.get())
        .set("ast_reply_timeouts", s.ast_reply_timeouts.get())
        .set("ast_send_refused", s.ast_send_refused.get())
        .set("ast_no_export", s.ast_no_export.get())
        .set("ast_lock_unknown", s.ast_lock_unknown.get())
        .set("glimpse_resends", s.glimpse_resends.get())
        .set("evictions", s.evictions.get())
        .set("glimpses", s.glimpses.get())
        .set("callback_timeout_ms", static_cast<uint64_t>(ldlm.config().callback_timeout.count()))
        .set("glimpse_timeout_ms", static_cast<uint64_t>(ldlm.config().glimpse_timeout.count()));
}

// Each AST's first PUT, its resends (no reply by then), PUTs pushed back, and
// ASTs left unanswered after every attempt: what loss cost the lock service.
Value ast_resend_counters(const WorkerAstSender& asts, Value service)
{
    uint64_t sent = 0, resent = 0, pushback = 0, exhausted = 0;
    for (const auto& intake : asts.intakes()) {
        if (!intake)
            continue;
        const AstReplyStats& s = intake->stats();
        sent += s.sent.get();
        resent += s.resent.get();
        pushback += s.send_pushback.get();
        exhausted += s.exhausted.get();
    }
    return service.set("ast_sent", sent)
        .set("ast_resent", resent)
        .set("ast_send_pushback", pushback)
        .set("ast_exhausted", exhausted);
}

void show_namespaces(Session& session)
{
    show_from_control(session, [](ControlCore& core) {
        Value list = Value::array();
        list.add(namespace_counters(core.ldlm().locks()));
        return Value::object().set("namespaces", list).set("service", ast_resend_counters(core.asts(), service_counters(core.ldlm())));
    });
}

Value lock_entry(const ldlm::LockInfo& l)
{
    return Value::object()
        .set("handle", hex(l.handle.cookie))
        .set("client", hex(l.client.value))
        .set("client_handle", hex(l.client_handle))
        .set("mode", ldlm::mode_name(l.mode))
        .set("state", l.state == ldlm::LockState::granted ? "granted" : "waiting")
        .set("start", l.extent.start)
        .set("end", l.extent.end)
        .set("req_start", l.requested.start)
        .set("req_end", l.requested.end)
        .set("gid", l.gid)
        .set("flags", hex(l.flags));
}

void show_locks(Session& session, const std::string& text)
{
    char* end = nullptr;
    uint64_t object = std::strtoull(text.c_str(), &end, 0);
    if (text.empty() || *end != '\0') {
        session.error("not an object id: '" + text + "' (decimal or 0x...)");
        return;
    }
    show_from_control(session, [object](ControlCore& core) {
        ldlm::ResourceName name{{object, 0, 0, 0}};
        const ldlm::LockNamespace& ns = core.ldlm().locks();
        Value list = Value::array();
        for (const ldlm::LockInfo& l : ns.resource_locks(name))
            list.add(lock_entry(l));
        return Value::object().set("object", object).set("size", ns.lvb(name).value_or(ldlm::Lvb{}).size).set("locks", list);
    });
}

void show_clients(Session& session)
{
    show_from_control(session, [](ControlCore& core) {
        const ldlm::LockNamespace& ns = core.ldlm().locks();
        auto counts = ns.client_lock_counts();
        std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) { return a.locks > b.locks; });
        Value list = Value::array();
        for (const ldlm::ClientLockCount& c : counts) {
            const Export* e = core.exports().find(c.client.value);
            list.add(Value::object()
                         .set("client", hex(c.client.value))
                         .set("nid", e ? lnet::format_nid(e->peer.nid) : std::string())
                         .set("uuid", e ? e->client_uuid : std::string())
                         .set("locks", c.locks));
        }
        return Value::object()
            .set("max_locks_per_client", ns.limits().max_per_client)
            .set("client_limit_refusals", ns.counters().client_limit_refusals)
            .set("clients", list);
    });
}

void show_resources(Session& session)
{
    show_from_control(session, [](ControlCore& core) {
        const ldlm::LockNamespace& ns = core.ldlm().locks();
        auto counts = ns.resource_lock_counts();
        std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
            return a.granted + a.waiting > b.granted + b.waiting;
        });
        Value list = Value::array();
        for (const ldlm::ResourceLockCount& r : counts)
            list.add(Value::object()
                         .set("object", r.resource.id[0])
                         .set("seq", r.resource.id[1])
                         .set("granted", r.granted)
                         .set("waiting", r.waiting));
        return Value::object()
            .set("max_locks_per_resource", ns.limits().max_per_resource)
            .set("resource_limit_refusals", ns.counters().resource_limit_refusals)
            .set("resources", list);
    });
}

void set_limit(Session& session, const std::string& which, const std::string& text)
{
    char* end = nullptr;
    uint64_t value = std::strtoull(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || value == 0 || value > (uint64_t{1} << 24)) {
        session.error(which + ": expected 1 to 16777216, got '" + text + "'");
        return;
    }
    show_from_control(session, [which, value](ControlCore& core) {
        ldlm::LockLimits limits = core.ldlm().locks().limits();
        (which == "max_locks_per_client" ? limits.max_per_client : limits.max_per_resource) = value;
        core.ldlm().locks().set_limits(limits);
        return Value::object()
            .set("max_locks_per_client", limits.max_per_client)
            .set("max_locks_per_resource", limits.max_per_resource);
    });
}

void set_expansion(Session& session, bool on)
{
    show_from_control(session, [on](ControlCore& core) {
        ldlm::ExpansionConfig cfg = core.ldlm().locks().expansion();
        cfg.enabled = on;
        core.ldlm().locks().set_expansion(cfg);
        return Value::object().set("expansion", on);
    });
}

}  // namespace

void register_ldlm_commands(CommandSet& commands)
{
    commands.add({"show", "ldlm", "namespaces"}, "lock namespace counters and the lock service's ASTs",
                 [](Session& s, const Words&) { show_namespaces(s); });
    commands.add({"show", "locks", "*"}, "the locks on an object (granted, then waiting)",
                 [](Session& s, const Words& words) { show_locks(s, words[2]); });
    commands.add({"show", "ldlm", "clients"}, "locks held per client, against max_locks_per_client",
                 [](Session& s, const Words&) { show_clients(s); });
    commands.add({"show", "ldlm", "resources"}, "locks per object, against max_locks_per_resource",
                 [](Session& s, const Words&) { show_resources(s); });
    commands.add({"set", "ldlm", "max_locks_per_client#max_locks_per_resource", "*"},
                 "change a lock budget cap (later enqueues beyond it get -EINPROGRESS)",
                 [](Session& s, const Words& words) { set_limit(s, words[2], words[3]); });
    commands.add({"set", "ldlm", "expansion", "on#off"}, "grant locks wider than asked (on) or exactly (off)",
                 [](Session& s, const Words& words) { set_expansion(s, words[3] == "on"); });
}

}  // namespace ostd::control::cli
