#include "lnet_core/nid.hpp"

#include <gtest/gtest.h>

using namespace ostd::lnet;

TEST(Nid, ParsesTcpAddressInHostOrder)
{
    auto nid = parse_nid("10.0.0.2@tcp");
    ASSERT_TRUE(nid);
    EXPECT_EQ(nid->address(), 0x0a000002u);
    EXPECT_EQ(nid->lnd(), 2);
    EXPECT_EQ(nid->net_number(), 0);
    EXPECT_EQ(nid->value, 0x000200000a000002ull);
}

TEST(Nid, ParsesNetNumber)
{
    auto nid = parse_nid("10.0.0.2@tcp3");
    ASSERT_TRUE(nid);
    EXPECT_EQ(nid->net_number(), 3);
    EXPECT_EQ(*nid, Nid::tcp(0x0a000002, 3));
    EXPECT_EQ(parse_nid("192.168.1.1@o2ib2")->lnd(), 5);
}

TEST(Nid, ParsesLoopbackAndAny)
{
    auto lo = parse_nid("0@lo");
    ASSERT_TRUE(lo);
    EXPECT_EQ(lo->lnd(), 9);
    EXPECT_EQ(lo->address(), 0u);
    EXPECT_TRUE(parse_nid("<?>")->is_any());
    EXPECT_TRUE(parse_nid("LNET_NID_ANY")->is_any());
}

TEST(Nid, FormatsWhatItParses)
{
    for (const char* text : {"10.0.0.2@tcp", "10.0.0.2@tcp3", "0@lo", "255.255.255.254@o2ib9", "<?>"})
        EXPECT_EQ(format_nid(*parse_nid(text)), text);
}

TEST(Nid, RefusesMalformedText)
{
    for (const char* text : {"", "10.0.0.2", "10.0.0.2@", "10.0.0@tcp", "10.0.0.256@tcp",
                             "10.0.0.2@udp", "10.0.0.2@tcp70000", "10.0.0.2@tcpx", "a.b.c.d@tcp",
                             "10..0.2@tcp", "10.0.0.2.1@tcp", "x@lo"})
        EXPECT_FALSE(parse_nid(text)) << text;
}

TEST(ProcessId, FormatsLikeLustre)
{
    EXPECT_EQ(format_process_id({*parse_nid("10.0.0.2@tcp"), 12345}), "12345-10.0.0.2@tcp");
    EXPECT_EQ(format_process_id(ProcessId::any()), "<?>-<?>");
}
