#include <gtest/gtest.h>

#include "lnet_core/ptlrpc/ost_wire.hpp"
#include "tests/unit/ptlrpc/wire_bytes.hpp"

namespace ostd::lnet::ptlrpc {
namespace {

using namespace test;

TEST(Obdo, DesignFieldsAtTheirOffsets)
{
    Obdo o;
    o.valid = obd_md::id | obd_md::size | obd_md::blocks | obd_md::handle | obd_md::group;
    o.id = 0x0A0B;
    o.seq = 0x0C0D;
    o.size_ = 0x123456;
    o.blocks = 0x40;
    o.grant = 0x80000;
    o.flags = 0x800;
    o.handle = 0xDEADBEEF;
    auto e = zeros(208);
    put64(e, 0, 0x01080031);
    put64(e, 8, 0x0A0B);
    put64(e, 16, 0x0C0D);
    put64(e, 32, 0x123456);
    put64(e, 64, 0x40);
    put64(e, 72, 0x80000);
    put32(e, 96, 0x800);
    put64(e, 128, 0xDEADBEEF);
    EXPECT_EQ(to_vector(encode_obdo(o)), e);
}

TEST(Obdo, ValidFlagValuesAreLustres)
{
    EXPECT_EQ(obd_md::id, 0x1u);
    EXPECT_EQ(obd_md::size, 0x10u);
    EXPECT_EQ(obd_md::blocks, 0x20u);
    EXPECT_EQ(obd_md::handle, 0x80000u);
    EXPECT_EQ(obd_md::group, 0x01000000u);
}

TEST(Obdo, RoundTripOfEveryFieldAndShortBuffer)
{
    Obdo o{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27};
    auto bytes = encode_obdo(o);
    EXPECT_EQ(*decode_obdo(bytes), o);
    EXPECT_EQ(decode_obdo(std::span(bytes).first(207)).error(), MessageError::short_buffer);
}

TEST(OstLvb, LayoutRoundTripAndShortBuffer)
{
    OstLvb lvb{0x1000, 100, 200, 300, 8, 11, 22, 33};
    auto e = zeros(56);
    put64(e, 0, 0x1000);
    put64(e, 8, 100);
    put64(e, 16, 200);
    put64(e, 24, 300);
    put64(e, 32, 8);
    put32(e, 40, 11);
    put32(e, 44, 22);
    put32(e, 48, 33);
    auto bytes = encode_ost_lvb(lvb);
    EXPECT_EQ(to_vector(bytes), e);
    EXPECT_EQ(*decode_ost_lvb(bytes), lvb);
    EXPECT_EQ(decode_ost_lvb(std::span(bytes).first(55)).error(), MessageError::short_buffer);
}

TEST(ObdIoobj, LayoutAndArrayRoundTrip)
{
    ObdIoobj ioo[] = {{0x2A, 0x0, (4 - 1) << 16, 3}, {0x2B, 0x1, 0, 1}};
    auto e = zeros(48);
    put64(e, 0, 0x2A);
    put64(e, 8, 0);
    put32(e, 16, 0x30000);
    put32(e, 20, 3);
    put64(e, 24, 0x2B);
    put64(e, 32, 1);
    put32(e, 44, 1);
    auto bytes = encode_ioobjs(ioo);
    EXPECT_EQ(bytes, e);
    auto decoded = decode_ioobjs(bytes);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, (std::vector<ObdIoobj>{ioo[0], ioo[1]}));
}

TEST(NiobufRemote, LayoutAndArrayRoundTrip)
{
    NiobufRemote nb[] = {{0x10000, 4096, obd_brw_write}, {0x2000, 512, obd_brw_read}};
    auto e = zeros(32);
    put64(e, 0, 0x10000);
    put32(e, 8, 4096);
    put32(e, 12, 2);
    put64(e, 16, 0x2000);
    put32(e, 24, 512);
    put32(e, 28, 1);
    auto bytes = encode_niobufs(nb);
    EXPECT_EQ(bytes, e);
    EXPECT_EQ(*decode_niobufs(bytes), (std::vector<NiobufRemote>{nb[0], nb[1]}));
}

TEST(OstArrays, RefuseEmptyAndPartialElements)
{
    std::vector<std::byte> none;
    EXPECT_EQ(decode_ioobjs(none).error(), MessageError::short_buffer);
    EXPECT_EQ(decode_niobufs(none).error(), MessageError::short_buffer);
    EXPECT_EQ(decode_ioobjs(zeros(25)).error(), MessageError::bad_array_length);
    EXPECT_EQ(decode_niobufs(zeros(24)).error(), MessageError::bad_array_length);
    EXPECT_EQ(decode_write_rcs(zeros(6)).error(), MessageError::bad_array_length);
}

TEST(WriteRcs, OneSignedU32PerNiobuf)
{
    int32_t rcs[] = {0, -28, 0};
    auto e = zeros(12);
    put32(e, 4, static_cast<uint32_t>(-28));
    auto bytes = encode_write_rcs(rcs);
    EXPECT_EQ(bytes, e);
    EXPECT_EQ(*decode_write_rcs(bytes), (std::vector<int32_t>{0, -28, 0}));
}

}  // namespace
}  // namespace ostd::lnet::ptlrpc
