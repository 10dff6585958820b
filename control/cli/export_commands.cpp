// Export commands: the clients connected to this appliance. The export table
// belongs to the control core, so these read and change it there (call()).
//
//   show exports  -> {"exports": [{"handle": "0x...", "uuid", "nid", "pid", "worker", "conn_cnt",
//                                  "idle_s", "evicted"}], "requests", "not_connected", "unsupported",
//                     "malformed", "malformed_by_reason": {reason: n}, "replies_refused"}
//   evict NID     -> {"evicted": N}: every export of that NID is refused until it
//                    reconnects; its locks are released at once and their waiters granted
#include <chrono>
#include <cstdio>

#include "control/cli/command_groups.hpp"
#include "control/control_core.hpp"
#include "lnet_core/nid.hpp"

namespace ostd::control::cli {
namespace {

constexpr auto control_timeout = std::chrono::milliseconds(2000);

std::string hex(uint64_t value)
{
    char text[24];
    std::snprintf(text, sizeof text, "0x%016llx", static_cast<unsigned long long>(value));
    return text;
}

void show_exports(Session& session)
{
    ControlCore& control = session.context().control;
    auto now = std::chrono::steady_clock::now();
    auto list = std::make_shared<Value>(Value::array());
    bool answered = control.call(
        [list, now](ControlCore& core) {
            core.exports().for_each([&](const Export& e) {
                auto idle = std::chrono::duration<double>(now - e.last_contact).count();
                list->add(Value::object()
                              .set("handle", hex(e.handle))
                              .set("uuid", e.client_uuid)
                              .set("nid", lnet::format_nid(e.peer.nid))
                              .set("pid", e.peer.pid)
                              .set("worker", e.home_worker)
                              .set("conn_cnt", e.conn_cnt)
                              .set("idle_s", idle < 0 ? 0.0 : idle)
                              .set("evicted", e.evicted));
            });
        },
        control_timeout);
    if (!answered) {
        session.error("the control core did not answer within 2 s");
        return;
    }
    const RouterStats& router = control.router_stats();
    Value malformed = by_reason(router.malformed, lnet::ptlrpc::message_error_name);
    session.show(Value::object()
                     .set("exports", *list)
                     .set("requests", control.stats().requests.get())
                     .set("not_connected", router.refused_not_connected.get())
                     .set("unsupported", router.unsupported.get())
                     .set("malformed", router.malformed.total())
                     .set("malformed_by_reason", malformed)
                     .set("replies_refused", control.reply_stats().refused.get()));
}

void evict(Session& session, const std::string& text)
{
    auto nid = lnet::parse_nid(text);
    if (!nid) {
        session.error("not a NID: '" + text + "' (e.g. 10.77.0.2@tcp)");
        return;
    }
    auto evicted = std::make_shared<size_t>(0);
    bool answered = session.context().control.call(
        [nid, evicted](ControlCore& core) {
            std::vector<uint64_t> handles;
            core.exports().for_each([&](const Export& e) {
                if (e.peer.nid == *nid && !e.evicted)
                    handles.push_back(e.handle);
            });
            for (uint64_t handle : handles)
                *evicted += core.ldlm().evict(handle) ? 1 : 0;
        },
        control_timeout);
    if (!answered) {
        session.error("the control core did not answer within 2 s");
        return;
    }
    session.show(Value::object().set("evicted", *evicted));
}

}  // namespace

void register_export_commands(CommandSet& commands)
{
    commands.add({"show", "exports"}, "connected clients (exports) and request counters",
                 [](Session& s, const Words&) { show_exports(s); });
    commands.add({"evict", "*"}, "evict every export of a NID: locks released, refused until it reconnects",
                 [](Session& s, const Words& words) { evict(s, words[1]); });
}

}  // namespace ostd::control::cli
