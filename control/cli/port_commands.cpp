// Port commands (testpmd's names). JSON answers, one object each:
//
//   show port stats all ->
//     {"port": {"id", "name", "rx_packets", "rx_bytes", "rx_errors", "rx_missed", "rx_nombuf",
//               "tx_packets", "tx_bytes", "tx_errors"},
//      "queues": [{"queue", "rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "rx_errors"}],
//      "workers": [{"worker", "rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "lnet_messages",
//                   "arp_replies", "icmp_replies", "handoffs_out", "handoffs_in", "pushbacks",
//                   "idle_sleeps", "commands", "drops"}]}          (drops: the worker's NetDrop total)
//   clear port stats all -> {"cleared": "port"}  (rte_eth stats and every worker's counters)
//   show port info all ->
//     {"port": {"id", "name", "device", "driver", "mac", "mtu", "queues", "rss", "link_up",
//               "link_speed_mbps", "socket"},
//      "nid", "workers", "forwarding"}
#include <rte_ethdev.h>

#include <chrono>

#include "control/cli/command_groups.hpp"
#include "control/cli/worker_query.hpp"
#include "lnet_core/nid.hpp"

namespace ostd::control::cli {
namespace {

Value worker_port_stats(const dataplane::Worker& worker)
{
    const dataplane::WorkerStats& s = worker.stats();
    return Value::object()
        .set("worker", worker.index())
        .set("rx_packets", s.rx_packets.get())
        .set("rx_bytes", s.rx_bytes.get())
        .set("tx_packets", s.tx_packets.get())
        .set("tx_bytes", s.tx_bytes.get())
        .set("lnet_messages", s.lnet_messages.get())
        .set("arp_replies", s.arp_replies.get())
        .set("icmp_replies", s.icmp_replies.get())
        .set("handoffs_out", s.handoffs_out.get())
        .set("handoffs_in", s.handoffs_in.get())
        .set("pushbacks", s.pushbacks.get())
        .set("idle_sleeps", s.idle_sleeps.get())
        .set("commands", s.commands.get())
        .set("drops", s.drops.total());
}

void show_port_stats(Session& session)
{
    dataplane::Port& port = session.context().dataplane.port();
    rte_eth_stats stats{};
    if (int rc = rte_eth_stats_get(port.id(), &stats); rc != 0) {
        session.error("rte_eth_stats_get: " + std::string(rte_strerror(-rc)));
        return;
    }
    Value answer;
    answer.set("port", Value::object()
                           .set("id", port.id())
                           .set("name", port.name())
                           .set("rx_packets", stats.ipackets)
                           .set("rx_bytes", stats.ibytes)
                           .set("rx_errors", stats.ierrors)
                           .set("rx_missed", stats.imissed)
                           .set("rx_nombuf", stats.rx_nombuf)
                           .set("tx_packets", stats.opackets)
                           .set("tx_bytes", stats.obytes)
                           .set("tx_errors", stats.oerrors));
    auto queues = Value::array();
    for (unsigned q = 0; q < port.queues() && q < RTE_ETHDEV_QUEUE_STAT_CNTRS; ++q)
        queues.add(Value::object()
                       .set("queue", q)
                       .set("rx_packets", stats.q_ipackets[q])
                       .set("rx_bytes", stats.q_ibytes[q])
                       .set("tx_packets", stats.q_opackets[q])
                       .set("tx_bytes", stats.q_obytes[q])
                       .set("rx_errors", stats.q_errors[q]));
    answer.set("queues", std::move(queues));
    auto workers = Value::array();
    for (const auto& worker : session.context().dataplane.workers())
        workers.add(worker_port_stats(*worker));
    answer.set("workers", std::move(workers));
    session.show(answer);
}

void clear_port_stats(Session& session)
{
    auto& dataplane = session.context().dataplane;
    if (int rc = rte_eth_stats_reset(dataplane.port().id()); rc != 0) {
        session.error("rte_eth_stats_reset: " + std::string(rte_strerror(-rc)));
        return;
    }
    // The counters' one writer is the worker: let it reset them itself.
    if (!dataplane.run_on_workers([](dataplane::Worker& worker) { worker.stats().reset(); },
                                  std::chrono::seconds(2))) {
        session.error("a worker did not answer within 2 s");
        return;
    }
    session.show(Value::object().set("cleared", "port"));
}

std::string format_mac(const rte_ether_addr& mac)
{
    char text[RTE_ETHER_ADDR_FMT_SIZE];
    rte_ether_format_addr(text, sizeof text, &mac);
    return text;
}

void show_port_info(Session& session)
{
    auto& context = session.context();
    dataplane::Port& port = context.dataplane.port();
    rte_eth_dev_info info{};
    std::string driver = rte_eth_dev_info_get(port.id(), &info) == 0 && info.driver_name ? info.driver_name : "?";
    rte_eth_link link{};
    rte_eth_link_get_nowait(port.id(), &link);
    uint16_t mtu = 0;
    rte_eth_dev_get_mtu(port.id(), &mtu);
    const auto& net = context.config.dataplane.network;
    Value answer;
    answer.set("port", Value::object()
                           .set("id", port.id())
                           .set("name", port.name())
                           .set("device", context.config.dataplane.port.device)
                           .set("driver", driver)
                           .set("mac", format_mac(port.mac()))
                           .set("mtu", mtu)
                           .set("queues", port.queues())
                           .set("rss", port.rss())
                           .set("link_up", link.link_status == RTE_ETH_LINK_UP)
                           .set("link_speed_mbps", link.link_speed)
                           .set("socket", rte_eth_dev_socket_id(port.id())));
    answer.set("nid", lnet::format_nid(lnet::Nid::tcp(net.address, net.net_number)));
    answer.set("workers", context.dataplane.workers().size());
    answer.set("forwarding", context.dataplane.forwarding());
    session.show(answer);
}

}  // namespace

void register_port_commands(CommandSet& commands)
{
    commands.add({"show", "port", "stats", "all"}, "port, queue and worker packet counters",
                 [](Session& s, const Words&) { show_port_stats(s); });
    commands.add({"clear", "port", "stats", "all"}, "reset port and worker packet counters",
                 [](Session& s, const Words&) { clear_port_stats(s); });
    commands.add({"show", "port", "info", "all"}, "port driver, MAC, MTU, link, queues",
                 [](Session& s, const Words&) { show_port_info(s); });
}

}  // namespace ostd::control::cli
