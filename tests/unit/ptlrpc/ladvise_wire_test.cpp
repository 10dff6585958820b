#include <gtest/gtest.h>

#include "lnet_core/ptlrpc/ladvise_wire.hpp"
#include "tests/unit/ptlrpc/wire_bytes.hpp"

namespace ostd::lnet::ptlrpc {
namespace {

using namespace test;

TEST(LadviseHdr, LayoutRoundTripAndMagic)
{
    LadviseHdr h{ladvise_magic, 2, ladvise::flag_async | ladvise::flag_unset, 5, 6, 7};
    auto e = zeros(32);
    put32(e, 0, 0x1ADF1CE0);
    put32(e, 4, 2);
    put64(e, 8, 3);
    put32(e, 16, 5);
    put32(e, 20, 6);
    put64(e, 24, 7);
    auto bytes = encode_ladvise_hdr(h);
    EXPECT_EQ(to_vector(bytes), e);
    EXPECT_EQ(*decode_ladvise_hdr(bytes), h);
}

TEST(LadviseHdr, RefusesShortBufferAndWrongMagic)
{
    auto bytes = to_vector(encode_ladvise_hdr(LadviseHdr{}));
    EXPECT_EQ(decode_ladvise_hdr(std::span(bytes).first(31)).error(), MessageError::short_buffer);
    put32(bytes, 0, 0xE01CDF1A);
    EXPECT_EQ(decode_ladvise_hdr(bytes).error(), MessageError::bad_ladvise_magic);
}

TEST(LuLadvise, LockaheadLayoutAndRoundTrip)
{
    LuLadvise a{ladvise::lockahead, ladvise::mode_write, 0x4, 0x1000, 0x1FFF, 0x9, 0};
    auto e = zeros(32);
    put16(e, 0, 4);
    put16(e, 2, 2);
    put32(e, 4, 4);
    put64(e, 8, 0x1000);
    put64(e, 16, 0x1FFF);
    put32(e, 24, 9);
    std::vector<LuLadvise> list = {a, LuLadvise{ladvise::willread, 0, 0, 0, 4095, 0, 0}};
    auto bytes = encode_ladvises(list);
    ASSERT_EQ(bytes.size(), 64u);
    EXPECT_EQ(std::vector<std::byte>(bytes.begin(), bytes.begin() + 32), e);
    EXPECT_EQ(*decode_ladvises(bytes), list);
}

TEST(LuLadvise, ConstantsAreLustres)
{
    EXPECT_EQ(ladvise::willread, 1);
    EXPECT_EQ(ladvise::dontneed, 2);
    EXPECT_EQ(ladvise::locknoexpand, 3);
    EXPECT_EQ(ladvise::lockahead, 4);
    EXPECT_EQ(ladvise::mode_read, 1);
    EXPECT_EQ(ladvise::mode_write, 2);
}

TEST(LuLadvise, RefusesEmptyAndPartialArrays)
{
    EXPECT_EQ(decode_ladvises({}).error(), MessageError::short_buffer);
    EXPECT_EQ(decode_ladvises(zeros(40)).error(), MessageError::bad_array_length);
}

}  // namespace
}  // namespace ostd::lnet::ptlrpc
