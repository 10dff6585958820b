#include "control/config/config_loader.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include "control/config/yaml_section.hpp"
#include "lnet_core/nid.hpp"

namespace ostd::control {
namespace {

constexpr uint32_t udp_ipv4_overhead = 28;
constexpr uint32_t lnet_overhead = 96;

uint32_t read_ipv4(YamlSection& section, const std::string& key, const std::string& fallback)
{
    std::string text = section.string(key, fallback);
    auto address = lnet::parse_ipv4(text);
    if (!address)
        section.fail(key, "expected an IPv4 address, got '" + text + "'");
    return *address;
}

dataplane::Ipv4Net parse_cidr(YamlSection& section, const std::string& key, const std::string& text)
{
    size_t slash = text.find('/');
    auto address = lnet::parse_ipv4(text.substr(0, slash));
    // The prefix: one or two decimal digits, nothing else (stoul would take
    // "/24abc", " 24" or "/4294967320").
    unsigned prefix = 32;
    if (slash != std::string::npos) {
        std::string digits = text.substr(slash + 1);
        bool decimal = !digits.empty() && digits.size() <= 2 &&
                       digits.find_first_not_of("0123456789") == std::string::npos;
        prefix = decimal ? static_cast<unsigned>(std::stoul(digits)) : 99;
    }
    if (!address || prefix > 32)
        section.fail(key, "expected a network like 10.0.0.0/24, got '" + text + "'");
    uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
    return {*address & mask, mask};
}

void read_eal(YamlSection eal, EalConfig& out)
{
    out.args = eal.strings("args", out.args);
    out.file_prefix = eal.string("file_prefix", out.file_prefix);
    out.memory_mb = static_cast<unsigned>(eal.uint("memory_mb", out.memory_mb, 64, 1 << 20));
    out.no_huge = eal.boolean("no_huge", out.no_huge);
    if (out.file_prefix.empty() || out.file_prefix.find('/') != std::string::npos)
        eal.fail("file_prefix", "must be a plain, non-empty name");
    eal.finish();
}

void read_lcores(YamlSection lcores, dataplane::DataplaneConfig& out)
{
    out.control_lcore = static_cast<unsigned>(lcores.uint("control", out.control_lcore, 0, 127));
    std::vector<uint64_t> workers = lcores.uints("workers", {out.worker_lcores.begin(), out.worker_lcores.end()}, 127);
    if (workers.empty() || workers.size() > 64)
        lcores.fail("workers", "expected 1 to 64 worker lcores");
    std::set<uint64_t> unique(workers.begin(), workers.end());
    if (unique.size() != workers.size() || unique.count(out.control_lcore))
        lcores.fail("workers", "each lcore may appear once, and not be the control lcore");
    out.worker_lcores.assign(workers.begin(), workers.end());
    lcores.finish();
}

void read_port(YamlSection port, dataplane::PortConfig& out)
{
    out.device = port.string("device", out.device);
    if (out.device.empty())
        port.fail("device", "a vdev string or PCI address is required");
    out.rx_descriptors = static_cast<uint16_t>(port.uint("rx_descriptors", out.rx_descriptors, 64, 4096));
    out.tx_descriptors = static_cast<uint16_t>(port.uint("tx_descriptors", out.tx_descriptors, 64, 4096));
    out.mtu = static_cast<uint16_t>(port.uint("mtu", out.mtu, 576, 9000));
    port.finish();
}

void read_pool(YamlSection pool, dataplane::PoolConfig& out)
{
    out.mbufs = static_cast<uint32_t>(pool.uint("mbufs", out.mbufs, 1023, 1u << 24));
    out.cache = static_cast<uint32_t>(pool.uint("cache", out.cache, 0, 512));
    pool.finish();
}

void read_poll(YamlSection poll, dataplane::PollConfig& out)
{
    std::string mode = poll.choice("mode", "adaptive", {"busy", "adaptive"});
    out.mode = mode == "busy" ? dataplane::PollMode::busy : dataplane::PollMode::adaptive;
    out.idle_polls_before_sleep = static_cast<uint32_t>(
        poll.uint("idle_polls_before_sleep", out.idle_polls_before_sleep, 1, 1u << 20));
    out.sleep_us = static_cast<uint32_t>(poll.uint("sleep_us", out.sleep_us, 1, 100000));
    poll.finish();
}

void read_network(YamlSection network, dataplane::NetworkConfig& out)
{
    if (!network.has("address"))
        network.fail("address", "the appliance's IPv4 address is required");
    out.address = read_ipv4(network, "address", "");
    out.netmask = read_ipv4(network, "netmask", lnet::format_ipv4(out.netmask));
    if (out.netmask != 0 && (~out.netmask & (~out.netmask + 1)) != 0)
        network.fail("netmask", "not a contiguous mask");
    out.udp_port = static_cast<uint16_t>(network.uint("udp_port", out.udp_port, 1, 65535));
    std::string net = network.string("net", "tcp");
    auto nid = lnet::parse_nid("0.0.0.0@" + net);
    if (!nid || nid->lnd() != static_cast<uint16_t>(lnet::LndType::socklnd))
        network.fail("net", "expected tcp or tcpN, got '" + net + "'");
    out.net_number = nid->net_number();
    for (const std::string& text : network.strings("allowed_networks", {}))
        out.allowed.push_back(parse_cidr(network, "allowed_networks", text));
    if (out.allowed.empty())
        out.allowed.push_back({out.address & out.netmask, out.netmask});
    network.finish();
}

void read_lnet(YamlSection lnet_section, dataplane::LnetConfig& out, uint16_t mtu)
{
    uint32_t fits = mtu - udp_ipv4_overhead - lnet_overhead;
    out.max_payload = static_cast<uint32_t>(lnet_section.uint("max_payload", fits, 64, 1u << 20));
    if (out.max_payload > fits)
        lnet_section.fail("max_payload", std::to_string(out.max_payload) + " does not fit the MTU of " +
                                             std::to_string(mtu) + " (at most " + std::to_string(fits) + ")");
    out.eq_size = static_cast<uint32_t>(lnet_section.uint("eq_size", out.eq_size, 16, 1u << 22));
    out.handoff_ring_size =
        static_cast<uint32_t>(lnet_section.uint("handoff_ring_size", out.handoff_ring_size, 16, 1u << 22));
    out.delayed_limit = static_cast<uint32_t>(lnet_section.uint("delayed_limit", out.delayed_limit, 0, 1u << 22));
    out.unique_capacity =
        static_cast<uint32_t>(lnet_section.uint("unique_capacity", out.unique_capacity, 16, 1u << 26));
    lnet_section.finish();
}

void read_services(YamlSection services, ServicesConfig& out)
{
    out.request_buffers = services.uint("request_buffers", out.request_buffers, 1, 4096);
    out.buffer_size = services.uint("buffer_size", out.buffer_size, 4096, 64u << 20);
    out.max_request = static_cast<uint32_t>(services.uint("max_request", out.max_request, 1024, 1u << 20));
    out.low_water = services.uint("low_water", out.low_water, 1, 4096);
    out.max_buffers = services.uint("max_buffers", out.max_buffers, 1, 65536);
    if (out.max_request > out.buffer_size)
        services.fail("max_request", "larger than services.buffer_size");
    if (out.low_water > out.max_buffers || out.request_buffers > out.max_buffers)
        services.fail("max_buffers", "must be at least request_buffers and low_water");
    services.finish();
}

// object_store: kind memory|file, directory (file), storage threads, requests
// in flight per worker, memory cap.
void read_object_store(YamlSection store, objstore::ObjectStoreConfig& out)
{
    std::string kind = store.choice("kind", std::string(objstore::to_string(out.kind)), {"memory", "file"});
    out.kind = *objstore::parse_store_kind(kind);
    out.directory = store.string("directory", out.directory);
    out.threads = store.uint("threads", out.threads, 1, 256);
    out.queue_depth = store.uint("queue_depth", out.queue_depth, 1, 1u << 20);
    out.memory_limit = store.uint("memory_limit", out.memory_limit, 1u << 20, uint64_t{1} << 50);
    if (out.kind == objstore::StoreKind::file && out.directory.empty())
        store.fail("directory", "required when kind is file");
    store.finish();
}

void read_ldlm(YamlSection ldlm, LdlmConfig& out)
{
    out.expansion = ldlm.boolean("expansion", out.expansion);
    out.contention_locks = static_cast<uint32_t>(ldlm.uint("contention_locks", out.contention_locks, 1, 1u << 20));
    out.contention_extent = ldlm.uint("contention_extent_mib", out.contention_extent >> 20, 1, 1u << 20) << 20;
    out.waiter_limit = static_cast<uint32_t>(ldlm.uint("waiter_limit", out.waiter_limit, 0, 1u << 20));
    out.callback_timeout_ms =
        static_cast<uint32_t>(ldlm.uint("callback_timeout_ms", out.callback_timeout_ms, 100, 3'600'000));
    out.glimpse_timeout_ms =
        static_cast<uint32_t>(ldlm.uint("glimpse_timeout_ms", out.glimpse_timeout_ms, 10, 600'000));
    out.max_locks_per_client =
        static_cast<uint32_t>(ldlm.uint("max_locks_per_client", out.max_locks_per_client, 1, 1u << 24));
    out.max_locks_per_resource =
        static_cast<uint32_t>(ldlm.uint("max_locks_per_resource", out.max_locks_per_resource, 1, 1u << 24));
    ldlm.finish();
}

// The pool must hold every descriptor ring full, every per-lcore cache and a
// burst in flight per worker, or RX starves at start.
void check_pool(YamlSection& root, const dataplane::DataplaneConfig& dp)
{
    uint64_t workers = dp.worker_lcores.size();
    uint64_t needed = workers * (dp.port.rx_descriptors + dp.port.tx_descriptors + 2u * dp.burst) +
                      (workers + 1) * dp.pool.cache;
    if (dp.pool.mbufs < needed)
        root.section("mbuf_pool").fail("mbufs", std::to_string(dp.pool.mbufs) + " mbufs cannot fill " +
                                                    std::to_string(workers) + " RX/TX queue pairs and caches (need at least " +
                                                    std::to_string(needed) + ")");
}

AppConfig read_config(const YAML::Node& document, const std::string& name)
{
    if (!document || document.IsNull())
        throw ConfigError(name + ": empty configuration");
    YamlSection root(document, "", name);
    AppConfig config;
    read_eal(root.section("eal"), config.eal);
    read_lcores(root.section("lcores"), config.dataplane);
    read_port(root.section("port"), config.dataplane.port);
    read_pool(root.section("mbuf_pool"), config.dataplane.pool);
    read_poll(root.section("poll"), config.dataplane.poll);
    read_network(root.section("network"), config.dataplane.network);
    read_lnet(root.section("lnet"), config.dataplane.lnet, config.dataplane.port.mtu);
    read_services(root.section("services"), config.services);
    read_ldlm(root.section("ldlm"), config.ldlm);
    read_object_store(root.section("object_store"), config.object_store);
    YamlSection cli = root.section("cli");
    config.cli.socket_path = cli.string("socket", config.cli.socket_path);
    cli.finish();
    check_pool(root, config.dataplane);
    root.finish();
    return config;
}

}  // namespace

lnet::Result<AppConfig, std::string> load_config_text(const std::string& text, const std::string& name)
{
    try {
        return read_config(YAML::Load(text), name);
    } catch (const ConfigError& error) {
        return std::string(error.what());
    } catch (const YAML::Exception& error) {
        return name + ":" + std::to_string(error.mark.line + 1) + ": " + error.msg;
    }
}

lnet::Result<AppConfig, std::string> load_config_file(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        return "cannot read configuration file " + path;
    std::stringstream text;
    text << in.rdbuf();
    return load_config_text(text.str(), path);
}

}  // namespace ostd::control
