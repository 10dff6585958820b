#include "control/config/config_loader.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace ostd::control;

namespace {

const std::string minimal = R"(
port:
  device: net_null0
network:
  address: 10.77.0.1
)";

// A minimal document whose port and network sections carry extra lines.
std::string with(const std::string& port_extra, const std::string& network_extra)
{
    return "port:\n  device: net_null0\n" + port_extra + "network:\n  address: 10.77.0.1\n" + network_extra;
}

std::string error_of(const std::string& text)
{
    auto result = load_config_text(text, "test.yaml");
    EXPECT_FALSE(result) << "accepted:\n" << text;
    return result ? "" : result.error();
}

}  // namespace

TEST(ConfigLoader, MinimalConfigGetsDefaults)
{
    auto config = load_config_text(minimal, "test.yaml");
    ASSERT_TRUE(config) << config.error();
    EXPECT_EQ(config->dataplane.port.device, "net_null0");
    EXPECT_EQ(config->dataplane.network.address, 0x0a4d0001u);
    EXPECT_EQ(config->dataplane.network.udp_port, 988);
    EXPECT_EQ(config->dataplane.lnet.max_payload, 1376u);
    EXPECT_EQ(config->dataplane.poll.mode, ostd::dataplane::PollMode::adaptive);
    ASSERT_EQ(config->dataplane.network.allowed.size(), 1u);  // defaults to its own subnet
    EXPECT_TRUE(config->dataplane.network.allowed[0].contains(0x0a4d00fe));
    EXPECT_FALSE(config->dataplane.network.allowed[0].contains(0x0a4e0001));
}

TEST(ConfigLoader, ShippedConfigsLoad)
{
    for (const char* name : {"tap.yaml", "null.yaml", "pcap.yaml", "tap_two_workers.yaml"}) {
        std::string path = std::string(OSTD_CONFIG_DIR) + "/" + name;
        auto config = load_config_file(path);
        EXPECT_TRUE(config) << path << ": " << (config ? "" : config.error());
    }
}

TEST(ConfigLoader, UnknownKeyIsNamedWithItsLine)
{
    std::string error = error_of(minimal + "lnet:\n  eq_sise: 10\n");
    EXPECT_NE(error.find("test.yaml:7: lnet.eq_sise: unknown key"), std::string::npos) << error;
    error = error_of(minimal + "colour: blue\n");
    EXPECT_NE(error.find("colour: unknown key"), std::string::npos) << error;
}

TEST(ConfigLoader, WrongTypesAreRefusedWithTheKey)
{
    std::string error = error_of(minimal + "lnet:\n  eq_size: lots\n");
    EXPECT_NE(error.find("test.yaml:7: lnet.eq_size: expected an integer, got 'lots'"), std::string::npos) << error;
    error = error_of(minimal + "lcores:\n  workers: 1\n");
    EXPECT_NE(error.find("lcores.workers: expected a list"), std::string::npos) << error;
    error = error_of(minimal + "eal:\n  no_huge: maybe\n");
    EXPECT_NE(error.find("eal.no_huge: expected true or false"), std::string::npos) << error;
    error = error_of(minimal + "lnet: 5\n");
    EXPECT_NE(error.find("lnet: expected a mapping"), std::string::npos) << error;
}

TEST(ConfigLoader, ImpossibleValuesAreRefused)
{
    EXPECT_NE(error_of(minimal + "poll:\n  mode: lazy\n").find("expected busy | adaptive"), std::string::npos);
    EXPECT_NE(error_of("port: {device: net_null0}\nnetwork: {address: 10.77.0.300}\n")
                  .find("network.address: expected an IPv4 address"),
              std::string::npos);
    EXPECT_NE(error_of(minimal + "lnet:\n  max_payload: 1400\n").find("does not fit the MTU"), std::string::npos);
    EXPECT_NE(error_of(minimal + "lcores:\n  control: 1\n  workers: [1]\n").find("not be the control lcore"),
              std::string::npos);
    EXPECT_NE(error_of(minimal + "mbuf_pool:\n  mbufs: 1100\n").find("cannot fill"), std::string::npos);
    EXPECT_NE(error_of(with("  mtu: 20000\n", "")).find("port.mtu: 20000 is out of range"), std::string::npos);
    EXPECT_NE(error_of("network:\n  address: 10.0.0.1\n").find("port.device"), std::string::npos);
    EXPECT_NE(error_of(with("", "  netmask: 255.0.255.0\n")).find("network.netmask: not a contiguous mask"),
              std::string::npos);
}

TEST(ConfigLoader, NetNameAndAllowedNetworks)
{
    auto config = load_config_text(R"(
port: {device: net_null0}
network:
  address: 10.0.0.1
  net: tcp3
  allowed_networks: [192.168.0.0/16, 10.0.0.7]
)", "test.yaml");
    ASSERT_TRUE(config) << config.error();
    EXPECT_EQ(config->dataplane.network.net_number, 3);
    ASSERT_EQ(config->dataplane.network.allowed.size(), 2u);
    EXPECT_TRUE(config->dataplane.network.allowed[0].contains(0xc0a80a0a));
    EXPECT_TRUE(config->dataplane.network.allowed[1].contains(0x0a000007));
    EXPECT_FALSE(config->dataplane.network.allowed[1].contains(0x0a000008));
    EXPECT_NE(error_of(with("", "  net: o2ib\n")).find("network.net: expected tcp or tcpN"), std::string::npos);
    for (const char* bad : {"10.0.0.0/24abc", "10.0.0.0/4294967320", "10.0.0.0/", "10.0.0.0/ 8", "10.0.0.0/33",
                            "10.0.0.0/-1", "10.0.0.0/+8"})
        EXPECT_NE(error_of(with("", std::string("  allowed_networks: ['") + bad + "']\n"))
                      .find("expected a network like 10.0.0.0/24, got '" + std::string(bad) + "'"),
                  std::string::npos)
            << bad;
}

TEST(ConfigLoader, MalformedYamlIsAnErrorNotACrash)
{
    std::string error = error_of("port: [unclosed\n");
    EXPECT_NE(error.find("test.yaml:"), std::string::npos) << error;
    EXPECT_FALSE(load_config_text("", "empty.yaml"));
    EXPECT_FALSE(load_config_file("/nonexistent/ostd.yaml"));
}

TEST(ConfigLoader, ObjectStoreSection)
{
    auto defaults = load_config_text(minimal, "test.yaml");
    ASSERT_TRUE(defaults) << defaults.error();
    EXPECT_EQ(defaults->object_store.kind, ostd::objstore::StoreKind::memory);

    auto config = load_config_text(minimal + R"(object_store:
  kind: file
  directory: /var/lib/ostd
  threads: 4
  queue_depth: 256
  memory_limit: 1073741824
)", "test.yaml");
    ASSERT_TRUE(config) << config.error();
    EXPECT_EQ(config->object_store.kind, ostd::objstore::StoreKind::file);
    EXPECT_EQ(config->object_store.directory, "/var/lib/ostd");
    EXPECT_EQ(config->object_store.threads, 4u);
    EXPECT_EQ(config->object_store.queue_depth, 256u);
    EXPECT_EQ(config->object_store.memory_limit, 1ull << 30);

    EXPECT_NE(error_of(minimal + "object_store:\n  kind: tape\n").find("object_store.kind: expected memory | file"),
              std::string::npos);
    EXPECT_NE(error_of(minimal + "object_store:\n  kind: file\n").find("object_store.directory: required"),
              std::string::npos);
    EXPECT_NE(error_of(minimal + "object_store:\n  threads: 0\n").find("object_store.threads"), std::string::npos);
    EXPECT_NE(error_of(minimal + "object_store:\n  colour: red\n").find("object_store.colour: unknown key"),
              std::string::npos);
}

TEST(ConfigLoader, LdlmPolicyIsReadAndRangeChecked)
{
    auto config = load_config_text(with("", "") +
                                       "ldlm:\n  expansion: false\n  contention_locks: 8\n  contention_extent_mib: 4\n"
                                       "  callback_timeout_ms: 1500\n",
                                   "test.yaml");
    ASSERT_TRUE(config) << config.error();
    EXPECT_FALSE(config->ldlm.expansion);
    EXPECT_EQ(config->ldlm.contention_locks, 8u);
    EXPECT_EQ(config->ldlm.contention_extent, 4u << 20);
    EXPECT_EQ(config->ldlm.callback_timeout_ms, 1500u);
    EXPECT_EQ(config->ldlm.glimpse_timeout_ms, 2000u);  // default kept
    auto defaults = load_config_text(minimal, "test.yaml");
    ASSERT_TRUE(defaults);
    EXPECT_TRUE(defaults->ldlm.expansion);
    EXPECT_EQ(defaults->ldlm.contention_extent, 32u << 20);
    EXPECT_NE(error_of(with("", "") + "ldlm:\n  callback_timeout_ms: 5\n").find("ldlm.callback_timeout_ms: 5 is out of range"),
              std::string::npos);
    EXPECT_NE(error_of(with("", "") + "ldlm:\n  expand: true\n").find("ldlm.expand: unknown key"), std::string::npos);
}
