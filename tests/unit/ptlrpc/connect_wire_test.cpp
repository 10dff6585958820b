#include <gtest/gtest.h>

#include "lnet_core/ptlrpc/connect_wire.hpp"
#include "tests/unit/ptlrpc/wire_bytes.hpp"

namespace ostd::lnet::ptlrpc {
namespace {

using namespace test;

ConnectData sample()
{
    ConnectData d;
    d.connect_flags = obd_connect::version | obd_connect::grant | obd_connect::brw_size |
                      obd_connect::maxbytes | obd_connect::flags2;
    d.version = 0x020F0000;
    d.grant = 0x2000000;
    d.index = 3;
    d.brw_size = 1 << 20;
    d.ibits_known = 0x55;
    d.grant_blkbits = 12;
    d.grant_inobits = 8;
    d.grant_tax_kb = 4;
    d.grant_max_blks = 0x8000;
    d.transno = 0x77;
    d.group = 9;
    d.cksum_types = 0x7;
    d.max_easize = 4096;
    d.instance = 17;
    d.maxbytes = 0x7FFFFFFFFFFFFFFF;
    d.maxmodrpcs = 8;
    d.connect_flags2 = 0x2;
    return d;
}

// Offsets of Lustre's struct obd_connect_data (lustre_idl.h).
TEST(ConnectData, EveryFieldAtLustresOffset)
{
    auto e = zeros(192);
    put64(e, 0, 0x8000008000040028);
    put32(e, 8, 0x020F0000);
    put32(e, 12, 0x2000000);
    put32(e, 16, 3);
    put32(e, 20, 1 << 20);
    put64(e, 24, 0x55);
    put8(e, 32, 12);
    put8(e, 33, 8);
    put16(e, 34, 4);
    put32(e, 36, 0x8000);
    put64(e, 40, 0x77);
    put32(e, 48, 9);
    put32(e, 52, 7);
    put32(e, 56, 4096);
    put32(e, 60, 17);
    put64(e, 64, 0x7FFFFFFFFFFFFFFF);
    put16(e, 72, 8);
    put64(e, 80, 2);
    EXPECT_EQ(to_vector(encode_connect_data(sample())), e);
}

TEST(ConnectData, RoundTripAndShortBuffer)
{
    auto bytes = encode_connect_data(sample());
    EXPECT_EQ(*decode_connect_data(bytes), sample());
    EXPECT_EQ(decode_connect_data(std::span(bytes).first(191)).error(), MessageError::short_buffer);
}

TEST(ConnectData, FlagValuesAreLustres)
{
    EXPECT_EQ(obd_connect::version, 0x20u);
    EXPECT_EQ(obd_connect::grant, 0x8u);
    EXPECT_EQ(obd_connect::brw_size, 0x40000u);
    EXPECT_EQ(obd_connect::maxbytes, 0x8000000000u);
    EXPECT_EQ(obd_connect::bulk_mbits, 0x2000000000000000u);
    EXPECT_EQ(obd_connect::flags2, 0x8000000000000000u);
}

}  // namespace
}  // namespace ostd::lnet::ptlrpc
