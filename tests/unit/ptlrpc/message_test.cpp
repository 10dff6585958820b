#include <gtest/gtest.h>

#include <set>

#include "lnet_core/ptlrpc/message.hpp"
#include "tests/unit/ptlrpc/wire_bytes.hpp"

namespace ostd::lnet::ptlrpc {
namespace {

using namespace test;

std::vector<std::byte> filled(size_t n, uint8_t first)
{
    std::vector<std::byte> v(n);
    for (size_t i = 0; i < n; ++i)
        v[i] = std::byte(first + i);
    return v;
}

// Three buffers of 5, 8 and 1 bytes: header 32 + 12 -> buffer 0 at 48.
std::vector<std::byte> expected_three_buffers()
{
    auto m = zeros(48 + 8 + 8 + 8);
    put32(m, 0, 3);
    put32(m, 4, 0);
    put32(m, 8, 0x0BD00BD3);
    put32(m, 12, 512);
    put32(m, 16, 0xC5C5);
    put32(m, 20, 0x1);
    put32(m, 32, 5);
    put32(m, 36, 8);
    put32(m, 40, 1);
    for (size_t i = 0; i < 5; ++i) m[48 + i] = std::byte(0x10 + i);
    for (size_t i = 0; i < 8; ++i) m[56 + i] = std::byte(0x20 + i);
    m[64] = std::byte(0x30);
    return m;
}

TEST(Message, EncodesHeaderBuflensAndPaddedBuffersAtDesignOffsets)
{
    auto a = filled(5, 0x10), b = filled(8, 0x20), c = filled(1, 0x30);
    MessageHeader header{.repsize = 512, .cksum = 0xC5C5};
    auto encoded = encode_message({a, b, c}, header);
    EXPECT_EQ(encoded, expected_three_buffers());
}

TEST(Message, BufferZeroStartsAtRoundUpOfHeaderPlusBuflens)
{
    EXPECT_EQ(msg_buffers_offset(1), 40u);  // 36 -> 40
    EXPECT_EQ(msg_buffers_offset(2), 40u);
    EXPECT_EQ(msg_buffers_offset(3), 48u);  // 44 -> 48
    EXPECT_EQ(msg_buffers_offset(6), 56u);
    std::vector<uint32_t> lens = {184, 104};
    EXPECT_EQ(message_length(lens), 40u + 184 + 104);
    std::vector<uint32_t> odd = {1, 9, 0};
    EXPECT_EQ(message_length(odd), 48u + 8 + 16 + 0);
}

TEST(Message, EncodeRefusesATooSmallOutputAndZeroOrTooManyBuffers)
{
    auto a = filled(5, 1);
    std::vector<std::span<const std::byte>> one = {a};
    std::vector<std::byte> out(message_length(one) - 1);
    EXPECT_EQ(encode_message(one, out), 0u);
    EXPECT_EQ(encode_message(std::span<const std::span<const std::byte>>{}, out), 0u);
    std::vector<std::span<const std::byte>> many(max_buffers + 1, std::span<const std::byte>(a));
    std::vector<std::byte> big(message_length(many));
    EXPECT_EQ(encode_message(many, big), 0u);
}

TEST(Message, DecodeGivesViewsIntoTheOriginalBytes)
{
    auto bytes = expected_three_buffers();
    auto msg = decode_message(bytes);
    ASSERT_TRUE(msg.ok()) << message_error_name(msg.error());
    EXPECT_EQ(msg->bufcount, 3u);
    EXPECT_EQ(msg->header.repsize, 512u);
    EXPECT_EQ(msg->header.cksum, 0xC5C5u);
    EXPECT_EQ(msg->header.flags, msghdr_at_support);
    EXPECT_EQ(msg->buffer(0).data(), bytes.data() + 48);
    EXPECT_EQ(msg->buffer(0).size(), 5u);
    EXPECT_EQ(msg->buffer(1).data(), bytes.data() + 56);
    EXPECT_EQ(msg->buffer(1).size(), 8u);
    EXPECT_EQ(msg->buffer(2).data(), bytes.data() + 64);
    EXPECT_EQ(msg->buffer(2).size(), 1u);
    EXPECT_TRUE(msg->buffer(3).empty());
}

TEST(Message, RoundTripKeepsEveryBufferAndZeroLengthOnes)
{
    auto a = filled(184, 0), b = filled(0, 0), c = filled(13, 7);
    auto bytes = encode_message({a, b, c});
    auto msg = decode_message(bytes);
    ASSERT_TRUE(msg.ok());
    ASSERT_EQ(msg->bufcount, 3u);
    EXPECT_TRUE(std::equal(a.begin(), a.end(), msg->buffer(0).begin(), msg->buffer(0).end()));
    EXPECT_TRUE(msg->buffer(1).empty());
    EXPECT_TRUE(std::equal(c.begin(), c.end(), msg->buffer(2).begin(), msg->buffer(2).end()));
}

TEST(Message, TrailingBytesAfterTheLastBufferAreAllowed)
{
    auto bytes = expected_three_buffers();
    bytes.resize(bytes.size() + 24);
    EXPECT_TRUE(decode_message(bytes).ok());
}

TEST(Message, RefusesShorterThanTheHeader)
{
    auto bytes = expected_three_buffers();
    bytes.resize(31);
    auto msg = decode_message(bytes);
    ASSERT_FALSE(msg.ok());
    EXPECT_EQ(msg.error(), MessageError::truncated_header);
}

TEST(Message, RefusesBuflensCutOff)
{
    auto bytes = expected_three_buffers();
    bytes.resize(40);  // room for two of three buflens
    auto msg = decode_message(bytes);
    ASSERT_FALSE(msg.ok());
    EXPECT_EQ(msg.error(), MessageError::truncated_header);
}

TEST(Message, RefusesTheByteSwappedMagicWithItsOwnReason)
{
    auto bytes = expected_three_buffers();
    put32(bytes, 8, 0xD30BD00B);
    auto msg = decode_message(bytes);
    ASSERT_FALSE(msg.ok());
    EXPECT_EQ(msg.error(), MessageError::swabbed_magic);
}

TEST(Message, RefusesAWrongMagic)
{
    auto bytes = expected_three_buffers();
    put32(bytes, 8, 0x0BD00BD0);  // lustre_msg_v1
    auto msg = decode_message(bytes);
    ASSERT_FALSE(msg.ok());
    EXPECT_EQ(msg.error(), MessageError::bad_magic);
}

TEST(Message, RefusesZeroAndTooLargeBufcount)
{
    auto bytes = expected_three_buffers();
    put32(bytes, 0, 0);
    EXPECT_EQ(decode_message(bytes).error(), MessageError::bad_bufcount);
    put32(bytes, 0, max_buffers + 1);
    EXPECT_EQ(decode_message(bytes).error(), MessageError::bad_bufcount);
    put32(bytes, 0, 0xFFFFFFFF);
    EXPECT_EQ(decode_message(bytes).error(), MessageError::bad_bufcount);
}

TEST(Message, RefusesALyingBufcountWhoseBuflensAreNotThere)
{
    auto bytes = expected_three_buffers();  // 72 bytes
    put32(bytes, 0, 20);                    // buffers would start at 112
    EXPECT_EQ(decode_message(bytes).error(), MessageError::truncated_header);
}

TEST(Message, RefusesBuflensWhosePaddedSumOverrunsTheMessage)
{
    auto bytes = expected_three_buffers();
    put32(bytes, 40, 9);  // last buffer padded to 16: 8 bytes past the end
    EXPECT_EQ(decode_message(bytes).error(), MessageError::buffers_overrun);
    put32(bytes, 40, 1);
    put32(bytes, 32, 0xFFFFFFF9);  // would wrap a 32-bit sum
    EXPECT_EQ(decode_message(bytes).error(), MessageError::buffers_overrun);
}

TEST(Message, LastBufferMustBePaddedToo)
{
    auto bytes = expected_three_buffers();
    bytes.resize(bytes.size() - 1);  // last buffer's padding cut by one byte
    EXPECT_EQ(decode_message(bytes).error(), MessageError::buffers_overrun);
}

TEST(MessageErrors, EveryReasonHasADistinctNameAndIsCounted)
{
    MessageErrorCounters counters;
    std::set<std::string_view> names;
    for (size_t i = 0; i < message_error_count; ++i) {
        auto error = static_cast<MessageError>(i);
        EXPECT_NE(message_error_name(error), "unknown");
        names.insert(message_error_name(error));
        counters.count(error);
    }
    EXPECT_EQ(names.size(), message_error_count);
    counters.count(MessageError::bad_magic);
    EXPECT_EQ(counters.get(MessageError::bad_magic), 2u);
    EXPECT_EQ(counters.total(), message_error_count + 1);
}

}  // namespace
}  // namespace ostd::lnet::ptlrpc
