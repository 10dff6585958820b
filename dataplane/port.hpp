// One Ethernet port, configured with one RX and one TX queue per worker.
// Opened from a vdev or PCI device that EAL has probed; stopped and closed
// when the Port goes away.
#pragma once

#include <rte_ether.h>
#include <rte_mempool.h>

#include <cstdint>
#include <memory>
#include <string>

#include "dataplane/dataplane_config.hpp"
#include "lnet_core/result.hpp"

namespace ostd::dataplane {

class Port {
public:
    static lnet::Result<std::unique_ptr<Port>, std::string> open(const PortConfig& config, uint16_t queues,
                                                                 rte_mempool* pool);
    ~Port();
    Port(const Port&) = delete;
    Port& operator=(const Port&) = delete;

    uint16_t id() const { return _id; }
    const std::string& name() const { return _name; }
    const rte_ether_addr& mac() const { return _mac; }
    uint16_t queues() const { return _queues; }
    bool rss() const { return _rss; }

private:
    Port(uint16_t id, std::string name) : _id(id), _name(std::move(name)) {}

    uint16_t _id;
    std::string _name;
    rte_ether_addr _mac{};
    uint16_t _queues = 0;
    bool _rss = false;
    bool _started = false;
};

// "net_tap0,iface=ostd0" -> "net_tap0"; a PCI address stays as it is.
std::string device_name(const std::string& device);
bool is_vdev(const std::string& device);

}  // namespace ostd::dataplane
