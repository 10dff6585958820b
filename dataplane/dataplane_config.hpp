// What the data plane needs to know, filled from YAML by control/config.
// Plain values: the data plane does not know where they came from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ostd::dataplane {

enum class PollMode : uint8_t { busy, adaptive };

struct Ipv4Net {
    uint32_t address = 0;  // host order
    uint32_t mask = 0;     // host order
    bool contains(uint32_t ip) const { return (ip & mask) == (address & mask); }
};

struct PortConfig {
    std::string device;            // a vdev string ("net_tap0,iface=ostd0") or a PCI address
    uint16_t rx_descriptors = 512;
    uint16_t tx_descriptors = 512;
    uint16_t mtu = 1500;
};

struct PoolConfig {
    uint32_t mbufs = 8191;
    uint32_t cache = 256;
};

struct PollConfig {
    PollMode mode = PollMode::adaptive;
    uint32_t idle_polls_before_sleep = 64;
    uint32_t sleep_us = 50;
};

struct NetworkConfig {
    uint32_t address = 0;          // host order
    uint32_t netmask = 0xffffff00;
    uint16_t udp_port = 988;
    uint16_t net_number = 0;       // NID net: tcp<N>
    std::vector<Ipv4Net> allowed;  // client networks; empty = the appliance's own subnet
};

struct LnetConfig {
    uint32_t max_payload = 1376;   // LNET payload per datagram: 1500 - 20 - 8 - 96
    uint32_t eq_size = 4096;
    uint32_t handoff_ring_size = 1024;
    uint32_t delayed_limit = 1024;
    uint32_t unique_capacity = 4096;
};

struct DataplaneConfig {
    PortConfig port;
    PoolConfig pool;
    PollConfig poll;
    NetworkConfig network;
    LnetConfig lnet;
    std::vector<unsigned> worker_lcores{1};
    unsigned control_lcore = 0;
    uint16_t burst = 32;
};

}  // namespace ostd::dataplane
