#include <gtest/gtest.h>

#include "lnet_core/ptlrpc/ldlm_wire.hpp"
#include "tests/unit/ptlrpc/wire_bytes.hpp"

namespace ostd::lnet::ptlrpc {
namespace {

using namespace test;

LockDesc sample_desc()
{
    LockDesc d;
    d.resource_type = ldlm_extent_type;
    d.name = {0xA1, 0xA2, 0xA3, 0xA4};
    d.req_mode = lock_mode::pw;
    d.granted_mode = lock_mode::pr;
    d.extent = {0x1000, 0x1FFF, 0x77};
    return d;
}

// ldlm_lock_desc at base in e, DESIGN.md 4.5 offsets.
void put_desc(std::vector<std::byte>& e, size_t base)
{
    put32(e, base + 0, 11);
    put64(e, base + 8, 0xA1);
    put64(e, base + 16, 0xA2);
    put64(e, base + 24, 0xA3);
    put64(e, base + 32, 0xA4);
    put32(e, base + 40, 2);
    put32(e, base + 44, 4);
    put64(e, base + 48, 0x1000);
    put64(e, base + 56, 0x1FFF);
    put64(e, base + 64, 0x77);
}

TEST(LockDesc, LayoutAtDesignOffsets)
{
    auto e = zeros(80);
    put_desc(e, 0);
    std::array<std::byte, LockDesc::size> out;
    encode_lock_desc(sample_desc(), out);
    EXPECT_EQ(to_vector(out), e);
    EXPECT_EQ(*decode_lock_desc(out), sample_desc());
    EXPECT_EQ(decode_lock_desc(std::span(out).first(79)).error(), MessageError::short_buffer);
}

TEST(LdlmRequest, EnqueueLayoutHasTwoHandleSlots)
{
    LdlmRequest r;
    r.flags = ldlm_flag::no_expansion | ldlm_flag::block_nowait;
    r.lock_count = 1;
    r.desc = sample_desc();
    r.handles = {0xC00C1E};
    auto e = zeros(104);
    put32(e, 0, 0x20040000);
    put32(e, 4, 1);
    put_desc(e, 8);
    put64(e, 88, 0xC00C1E);
    EXPECT_EQ(r.wire_size(), 104u);
    EXPECT_EQ(encode_ldlm_request(r), e);
}

TEST(LdlmRequest, RoundTripWithManyHandles)
{
    LdlmRequest r;
    r.lock_count = 5;
    r.desc = sample_desc();
    r.handles = {1, 2, 3, 4, 5};
    auto bytes = encode_ldlm_request(r);
    EXPECT_EQ(bytes.size(), 88u + 40);
    auto decoded = decode_ldlm_request(bytes);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, r);
}

TEST(LdlmRequest, DecodeAlwaysYieldsAtLeastTwoHandles)
{
    LdlmRequest r;
    r.lock_count = 0;
    r.handles = {0xAA, 0xBB};  // BL AST: client cookie, server cookie
    auto decoded = decode_ldlm_request(encode_ldlm_request(r));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(decoded->handles, (std::vector<uint64_t>{0xAA, 0xBB}));
}

TEST(LdlmRequest, RefusesShortBuffer)
{
    auto bytes = encode_ldlm_request(LdlmRequest{});
    EXPECT_EQ(decode_ldlm_request(std::span(bytes).first(103)).error(), MessageError::short_buffer);
}

TEST(LdlmRequest, RefusesLockCountBeyondTheBuffer)
{
    LdlmRequest r;
    r.lock_count = 2;
    auto bytes = encode_ldlm_request(r);  // 104 bytes: room for 2 handles
    EXPECT_TRUE(decode_ldlm_request(bytes).ok());
    put32(bytes, 4, 3);
    EXPECT_EQ(decode_ldlm_request(bytes).error(), MessageError::lock_count_overflow);
    put32(bytes, 4, 0xFFFFFFFF);
    EXPECT_EQ(decode_ldlm_request(bytes).error(), MessageError::lock_count_overflow);
    bytes.resize(112);
    put32(bytes, 4, 3);
    EXPECT_TRUE(decode_ldlm_request(bytes).ok());
}

TEST(LdlmReply, LayoutAtDesignOffsetsAndRoundTrip)
{
    LdlmReply r;
    r.flags = ldlm_flag::lock_changed | ldlm_flag::block_granted;
    r.desc = sample_desc();
    r.handle = 0x5E5E5E5E;
    r.policy_res1 = 0x11;
    r.policy_res2 = 0x22;
    auto e = zeros(112);
    put32(e, 0, 3);
    put_desc(e, 8);
    put64(e, 88, 0x5E5E5E5E);
    put64(e, 96, 0x11);
    put64(e, 104, 0x22);
    auto bytes = encode_ldlm_reply(r);
    EXPECT_EQ(to_vector(bytes), e);
    EXPECT_EQ(*decode_ldlm_reply(bytes), r);
    EXPECT_EQ(decode_ldlm_reply(std::span(bytes).first(111)).error(), MessageError::short_buffer);
}

TEST(LdlmIntent, GlimpseIsLustres0x4000)
{
    EXPECT_EQ(it_glimpse, 0x4000u);
    EXPECT_EQ(eldlm_lock_aborted, 301);
    auto bytes = encode_ldlm_intent({it_glimpse});
    auto e = zeros(8);
    put64(e, 0, 0x4000);
    EXPECT_EQ(to_vector(bytes), e);
    EXPECT_EQ(decode_ldlm_intent(bytes)->opc, it_glimpse);
    EXPECT_EQ(decode_ldlm_intent(std::span(bytes).first(7)).error(), MessageError::short_buffer);
}

TEST(LdlmFlags, WireValuesAreLustres)
{
    EXPECT_EQ(ldlm_flag::lock_changed, 0x1u);
    EXPECT_EQ(ldlm_flag::block_granted, 0x2u);
    EXPECT_EQ(ldlm_flag::speculative, 0x10u);
    EXPECT_EQ(ldlm_flag::ast_sent, 0x20u);
    EXPECT_EQ(ldlm_flag::block_nowait, 0x40000u);
    EXPECT_EQ(ldlm_flag::no_expansion, 0x20000000u);
    EXPECT_EQ(lock_mode::ex, 1u);
    EXPECT_EQ(lock_mode::group, 64u);
}

}  // namespace
}  // namespace ostd::lnet::ptlrpc
