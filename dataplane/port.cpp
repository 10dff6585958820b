#include "dataplane/port.hpp"

#include <rte_ethdev.h>

namespace ostd::dataplane {

std::string device_name(const std::string& device)
{
    return device.substr(0, device.find(','));
}

bool is_vdev(const std::string& device)
{
    return device.rfind("net_", 0) == 0 || device.rfind("eth_", 0) == 0;
}

lnet::Result<std::unique_ptr<Port>, std::string> Port::open(const PortConfig& config, uint16_t queues,
                                                            rte_mempool* pool)
{
    std::string name = device_name(config.device);
    uint16_t id;
    if (rte_eth_dev_get_port_by_name(name.c_str(), &id) != 0)
        return "port '" + name + "' was not probed (device '" + config.device + "')";
    std::unique_ptr<Port> port(new Port(id, name));

    rte_eth_dev_info info;
    if (int rc = rte_eth_dev_info_get(id, &info); rc != 0)
        return "port " + name + ": cannot read device info: " + rte_strerror(-rc);
    if (queues > info.max_rx_queues || queues > info.max_tx_queues)
        return "port " + name + " supports " + std::to_string(std::min(info.max_rx_queues, info.max_tx_queues)) +
               " queue pairs, but " + std::to_string(queues) + " workers were configured";

    rte_eth_conf conf{};
    // Spread flows over the workers' queues in hardware when the port can;
    // a multi-queue TAP spreads them in the kernel instead.
    if (queues > 1 && (info.flow_type_rss_offloads & RTE_ETH_RSS_IP)) {
        conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
        conf.rx_adv_conf.rss_conf.rss_hf = info.flow_type_rss_offloads & (RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP);
        port->_rss = true;
    }
    if (int rc = rte_eth_dev_configure(id, queues, queues, &conf); rc != 0)
        return "port " + name + ": configure failed: " + rte_strerror(-rc);
    uint16_t rx_descriptors = config.rx_descriptors;
    uint16_t tx_descriptors = config.tx_descriptors;
    rte_eth_dev_adjust_nb_rx_tx_desc(id, &rx_descriptors, &tx_descriptors);
    int socket = rte_eth_dev_socket_id(id);
    for (uint16_t q = 0; q < queues; ++q) {
        if (int rc = rte_eth_rx_queue_setup(id, q, rx_descriptors, socket, nullptr, pool); rc != 0)
            return "port " + name + ": RX queue " + std::to_string(q) + ": " + rte_strerror(-rc);
        if (int rc = rte_eth_tx_queue_setup(id, q, tx_descriptors, socket, nullptr); rc != 0)
            return "port " + name + ": TX queue " + std::to_string(q) + ": " + rte_strerror(-rc);
    }
    if (rte_eth_dev_set_mtu(id, config.mtu) != 0) {
        uint16_t mtu = 0;
        rte_eth_dev_get_mtu(id, &mtu);
        if (mtu < config.mtu)
            return "port " + name + " cannot carry MTU " + std::to_string(config.mtu);
    }
    if (int rc = rte_eth_dev_start(id); rc != 0)
        return "port " + name + ": start failed: " + rte_strerror(-rc);
    port->_started = true;
    port->_queues = queues;
    rte_eth_macaddr_get(id, &port->_mac);
    rte_eth_promiscuous_disable(id);
    return port;
}

Port::~Port()
{
    if (_started)
        rte_eth_dev_stop(_id);
    rte_eth_dev_close(_id);
}

}  // namespace ostd::dataplane
