#include <gtest/gtest.h>

#include <cstring>

#include "lnet_core/ptlrpc/ptlrpc_body.hpp"
#include "tests/unit/ptlrpc/wire_bytes.hpp"

namespace ostd::lnet::ptlrpc {
namespace {

using namespace test;

PtlrpcBody sample_body()
{
    PtlrpcBody b;
    b.handle = 0x0102030405060708;
    b.type = MsgType::reply;
    b.version = dlm_version;
    b.opc = 101;
    b.status = -11;
    b.last_xid = 0x1112131415161718;
    b.tag = 0x2122;
    b.last_committed = 0x3132333435363738;
    b.transno = 0x4142434445464748;
    b.flags = msg_resent | msg_replay;
    b.op_flags = 0x51525354;
    b.conn_cnt = 0x61626364;
    b.timeout = 0x71727374;
    b.service_time = 0x81828384;
    b.limit = 0x91929394;
    b.slv = 0xA1A2A3A4A5A6A7A8;
    b.pre_versions = {0xB1, 0xB2, 0xB3, 0xB4};
    b.mbits = 0xC1C2C3C4C5C6C7C8;
    b.uid = 1000;
    b.gid = 1001;
    std::memcpy(b.jobid.data(), "job.42", 6);
    return b;
}

TEST(PtlrpcBody, EveryFieldAtItsDesignOffset)
{
    auto e = zeros(184);
    put64(e, 0, 0x0102030405060708);
    put32(e, 8, 4713);
    put32(e, 12, 0x40003);
    put32(e, 16, 101);
    put32(e, 20, static_cast<uint32_t>(-11));
    put64(e, 24, 0x1112131415161718);
    put16(e, 32, 0x2122);
    put64(e, 40, 0x3132333435363738);
    put64(e, 48, 0x4142434445464748);
    put32(e, 56, 6);
    put32(e, 60, 0x51525354);
    put32(e, 64, 0x61626364);
    put32(e, 68, 0x71727374);
    put32(e, 72, 0x81828384);
    put32(e, 76, 0x91929394);
    put64(e, 80, 0xA1A2A3A4A5A6A7A8);
    put64(e, 88, 0xB1);
    put64(e, 96, 0xB2);
    put64(e, 104, 0xB3);
    put64(e, 112, 0xB4);
    put64(e, 120, 0xC1C2C3C4C5C6C7C8);
    put32(e, 144, 1000);
    put32(e, 148, 1001);
    std::memcpy(e.data() + 152, "job.42", 6);
    EXPECT_EQ(to_vector(encode_ptlrpc_body(sample_body())), e);
}

TEST(PtlrpcBody, ConstantsAreLustres)
{
    EXPECT_EQ(static_cast<uint32_t>(MsgType::request), 4711u);
    EXPECT_EQ(static_cast<uint32_t>(MsgType::err), 4712u);
    EXPECT_EQ(static_cast<uint32_t>(MsgType::reply), 4713u);
    EXPECT_EQ(obd_version, 0x10003u);
    EXPECT_EQ(ost_version, 0x30003u);
    EXPECT_EQ(dlm_version, 0x40003u);
    EXPECT_EQ(msg_resent, 2u);
    EXPECT_EQ(msg_replay, 4u);
}

TEST(PtlrpcBody, RoundTrip)
{
    auto bytes = encode_ptlrpc_body(sample_body());
    auto decoded = decode_ptlrpc_body(bytes);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, sample_body());
}

TEST(PtlrpcBody, PaddingIsWrittenAsZeroWhateverTheBufferHeld)
{
    std::array<std::byte, PtlrpcBody::size> out;
    out.fill(std::byte{0xEE});
    encode_ptlrpc_body(sample_body(), out);
    auto expect_zero = [&](size_t from, size_t to) {
        for (size_t i = from; i < to; ++i)
            EXPECT_EQ(out[i], std::byte{0}) << "byte " << i;
    };
    expect_zero(34, 40);    // pb_padding0, pb_padding1
    expect_zero(128, 144);  // pb_padding64_0/1
    expect_zero(158, 184);  // the jobid's NUL padding after "job.42"
}

TEST(PtlrpcBody, RefusesABufferShorterThan184)
{
    auto bytes = encode_ptlrpc_body(sample_body());
    auto decoded = decode_ptlrpc_body(std::span(bytes).first(183));
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.error(), MessageError::short_body);
}

TEST(PtlrpcBody, DecodesALongerBuffer)
{
    auto bytes = to_vector(encode_ptlrpc_body(sample_body()));
    bytes.resize(216, std::byte{0x5A});
    auto decoded = decode_ptlrpc_body(bytes);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, sample_body());
}

}  // namespace
}  // namespace ostd::lnet::ptlrpc
