#include "lnet_core/ping_info.hpp"

#include <gtest/gtest.h>

#include "lnet_core/byte_order.hpp"

using namespace ostd::lnet;

TEST(PingInfo, LaysOutMagicHeaderAndNis)
{
    PingInfo info{ping_features, 12345, {{*parse_nid("0@lo"), ni_status_up, 0}, {Nid::tcp(0x0a4d0001), ni_status_up, 1376}}};
    auto bytes = encode_ping_info(info);
    ASSERT_EQ(bytes.size(), 16u + 2 * 16);
    EXPECT_EQ(load_le<uint32_t>(&bytes[0]), 0x70696e67u);
    EXPECT_EQ(load_le<uint32_t>(&bytes[4]), 3u);
    EXPECT_EQ(load_le<uint32_t>(&bytes[8]), 12345u);
    EXPECT_EQ(load_le<uint32_t>(&bytes[12]), 2u);
    EXPECT_EQ(load_le<uint64_t>(&bytes[32]), Nid::tcp(0x0a4d0001).value);
    EXPECT_EQ(load_le<uint32_t>(&bytes[40]), 0x15AAC0DEu);
    EXPECT_EQ(load_le<uint32_t>(&bytes[44]), 1376u);
    EXPECT_EQ(decode_ping_info(bytes), info);
}

TEST(PingInfo, RefusesWrongMagicAndOverrunningCount)
{
    auto bytes = encode_ping_info(PingInfo{ping_features, 1, {{Nid::tcp(1), ni_status_up, 0}}});
    auto lying = bytes;
    store_le<uint32_t>(&lying[12], 2);
    EXPECT_FALSE(decode_ping_info(lying));
    store_le<uint32_t>(&lying[12], 0xffffffff);
    EXPECT_FALSE(decode_ping_info(lying));
    bytes[0] = std::byte{0};
    EXPECT_FALSE(decode_ping_info(bytes));
    EXPECT_FALSE(decode_ping_info(std::span(bytes).first(15)));
}
