// Round trips and every rejection of the socklnd header, lnet_hdr and frames.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "lnet_core/byte_order.hpp"
#include "lnet_core/crc32.hpp"
#include "lnet_core/frame.hpp"

using namespace ostd::lnet;

namespace {

LnetHeader base_header()
{
    LnetHeader h;
    h.dest_nid = Nid::tcp(0x0a000001);
    h.src_nid = Nid::tcp(0x0a000002, 7);
    h.dest_pid = 12345;
    h.src_pid = 0x80001234;
    return h;
}

std::vector<std::byte> encode(const LnetHeader& h, std::vector<std::byte> payload = {}, EncodeOptions options = {})
{
    std::vector<std::byte> out(frame_overhead + payload.size());
    EXPECT_EQ(encode_frame(h, payload, out, options), out.size());
    return out;
}

}  // namespace

TEST(Crc32, MatchesTheStandardCheckValueWithoutFinalInversion)
{
    const char* check = "123456789";
    auto bytes = std::as_bytes(std::span(check, 9));
    EXPECT_EQ(~crc32_le(~0u, bytes), 0xCBF43926u);
}

TEST(SocklndHeader, RoundTripsAndLaysOutLittleEndian)
{
    SocklndHeader h{SocklndType::lnet, 0x11223344, {0x0102030405060708ull, 1}};
    std::byte out[24];
    encode_socklnd_header(h, std::span<std::byte, 24>(out));
    EXPECT_EQ(out[0], std::byte{0xC1});
    EXPECT_EQ(out[4], std::byte{0x44});
    EXPECT_EQ(out[8], std::byte{0x08});
    EXPECT_EQ(out[16], std::byte{0x01});
    auto back = decode_socklnd_header(out);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, h);
}

TEST(SocklndHeader, RefusesShortAndUnknownTypes)
{
    std::byte out[24] = {};
    EXPECT_EQ(decode_socklnd_header(std::span(out, 23)).error(), DropReason::truncated_socklnd_header);
    store_le<uint32_t>(out, 0xC2);
    EXPECT_EQ(decode_socklnd_header(out).error(), DropReason::bad_socklnd_type);
}

TEST(LnetHeader, PutLaysOutAtTheDesignOffsets)
{
    LnetHeader h = base_header();
    h.payload_length = 3;
    h.fields = PutFields{{0x1111, 0x2222}, 0xabcdef0123456789ull, 0x5555, 17, 4096};
    std::byte out[72];
    encode_lnet_header(h, std::span<std::byte, 72>(out));
    EXPECT_EQ(load_le<uint64_t>(out + 0), h.dest_nid.value);
    EXPECT_EQ(load_le<uint64_t>(out + 8), h.src_nid.value);
    EXPECT_EQ(load_le<uint32_t>(out + 16), 12345u);
    EXPECT_EQ(load_le<uint32_t>(out + 20), 0x80001234u);
    EXPECT_EQ(load_le<uint32_t>(out + 24), 1u);
    EXPECT_EQ(load_le<uint32_t>(out + 28), 3u);
    EXPECT_EQ(load_le<uint64_t>(out + 32), 0x1111u);
    EXPECT_EQ(load_le<uint64_t>(out + 40), 0x2222u);
    EXPECT_EQ(load_le<uint64_t>(out + 48), 0xabcdef0123456789ull);
    EXPECT_EQ(load_le<uint64_t>(out + 56), 0x5555u);
    EXPECT_EQ(load_le<uint32_t>(out + 64), 17u);
    EXPECT_EQ(load_le<uint32_t>(out + 68), 4096u);
    // 10.0.0.2 is the host-order u32 on the wire: 02 00 00 0a.
    EXPECT_EQ(out[8], std::byte{0x02});
    EXPECT_EQ(out[11], std::byte{0x0a});
}

TEST(LnetHeader, GetAckReplyHelloLayOutAtTheDesignOffsets)
{
    std::byte out[72];
    LnetHeader get = base_header();
    get.fields = GetFields{{1, 2}, 0x77, 8, 100, 200};
    encode_lnet_header(get, std::span<std::byte, 72>(out));
    EXPECT_EQ(load_le<uint32_t>(out + 24), 2u);
    EXPECT_EQ(load_le<uint64_t>(out + 48), 0x77u);
    EXPECT_EQ(load_le<uint32_t>(out + 56), 8u);
    EXPECT_EQ(load_le<uint32_t>(out + 60), 100u);
    EXPECT_EQ(load_le<uint32_t>(out + 64), 200u);

    LnetHeader ack = base_header();
    ack.fields = AckFields{{3, 4}, 0x99, 512};
    encode_lnet_header(ack, std::span<std::byte, 72>(out));
    EXPECT_EQ(load_le<uint32_t>(out + 24), 0u);
    EXPECT_EQ(load_le<uint64_t>(out + 40), 4u);
    EXPECT_EQ(load_le<uint32_t>(out + 56), 512u);

    LnetHeader hello = base_header();
    hello.fields = HelloFields{0x123456789ull, 7};
    encode_lnet_header(hello, std::span<std::byte, 72>(out));
    EXPECT_EQ(load_le<uint32_t>(out + 24), 4u);
    EXPECT_EQ(load_le<uint64_t>(out + 32), 0x123456789ull);
    EXPECT_EQ(load_le<uint32_t>(out + 40), 7u);
}

TEST(LnetHeader, EveryTypeRoundTrips)
{
    std::vector<LnetHeader> headers;
    for (int i = 0; i < 5; ++i)
        headers.push_back(base_header());
    headers[0].fields = AckFields{{1, 2}, 3, 4};
    headers[1].fields = PutFields{WireHandle::none(), 5, 6, 63, 8};
    headers[1].payload_length = max_payload;
    headers[2].fields = GetFields{{9, 10}, 11, 0, 13, 14};
    headers[3].fields = ReplyFields{{15, 16}};
    headers[3].payload_length = 1;
    headers[4].fields = HelloFields{17, 18};
    for (const LnetHeader& h : headers) {
        std::byte out[72];
        encode_lnet_header(h, std::span<std::byte, 72>(out));
        auto back = decode_lnet_header(out);
        ASSERT_TRUE(back) << static_cast<int>(h.type());
        EXPECT_EQ(*back, h);
    }
}

TEST(LnetHeader, RefusesEachViolationWithItsReason)
{
    std::byte out[72];
    LnetHeader put = base_header();
    put.fields = PutFields{};
    encode_lnet_header(put, std::span<std::byte, 72>(out));
    EXPECT_EQ(decode_lnet_header(std::span(out, 71)).error(), DropReason::truncated_lnet_header);

    store_le<uint32_t>(out + 24, 5);
    EXPECT_EQ(decode_lnet_header(out).error(), DropReason::bad_message_type);
    store_le<uint32_t>(out + 24, 1);

    store_le<uint32_t>(out + 28, max_payload + 1);
    EXPECT_EQ(decode_lnet_header(out).error(), DropReason::payload_too_long);
    store_le<uint32_t>(out + 28, 0);

    store_le<uint32_t>(out + 64, 64);  // PUT ptl_index
    EXPECT_EQ(decode_lnet_header(out).error(), DropReason::bad_portal);

    LnetHeader get = base_header();
    get.fields = GetFields{{}, 0, 64, 0, 0};
    encode_lnet_header(get, std::span<std::byte, 72>(out));
    EXPECT_EQ(decode_lnet_header(out).error(), DropReason::bad_portal);

    for (MsgType type : {MsgType::ack, MsgType::get}) {
        store_le<uint32_t>(out + 24, static_cast<uint32_t>(type));
        store_le<uint32_t>(out + 56, 0);
        store_le<uint32_t>(out + 28, 1);
        EXPECT_EQ(decode_lnet_header(out).error(), DropReason::payload_not_allowed);
    }
}

TEST(Frame, RoundTripsWithPayload)
{
    LnetHeader h = base_header();
    h.payload_length = 5;
    h.fields = PutFields{WireHandle::none(), 42, 0, 6, 0};
    std::vector<std::byte> payload{std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4}, std::byte{5}};
    auto datagram = encode(h, payload);
    ASSERT_EQ(datagram.size(), 96u + 5);
    auto frame = decode_frame(datagram);
    ASSERT_TRUE(frame);
    ASSERT_TRUE(frame->header);
    EXPECT_EQ(*frame->header, h);
    EXPECT_EQ(frame->socklnd.checksum, 0u);
    ASSERT_EQ(frame->payload.size(), 5u);
    EXPECT_EQ(std::memcmp(frame->payload.data(), payload.data(), 5), 0);
}

TEST(Frame, NoopIsTheSocklndHeaderAlone)
{
    std::vector<std::byte> noop(24);
    encode_socklnd_header({SocklndType::noop, 0, {0, 1}}, std::span<std::byte, 24>(noop.data(), 24));
    auto frame = decode_frame(noop);
    ASSERT_TRUE(frame);
    EXPECT_FALSE(frame->header);
    EXPECT_EQ(frame->socklnd.zc_cookies[1], 1u);
    noop.push_back(std::byte{0});
    EXPECT_EQ(decode_frame(noop).error(), DropReason::length_mismatch);
}

TEST(Frame, RefusesLengthsThatDisagreeWithTheHeader)
{
    LnetHeader h = base_header();
    h.payload_length = 4;
    h.fields = ReplyFields{{1, 2}};
    auto datagram = encode(h, std::vector<std::byte>(4));
    datagram.push_back(std::byte{0});
    EXPECT_EQ(decode_frame(datagram).error(), DropReason::length_mismatch);
    datagram.resize(96 + 3);
    EXPECT_EQ(decode_frame(datagram).error(), DropReason::length_mismatch);
    datagram.resize(50);
    EXPECT_EQ(decode_frame(datagram).error(), DropReason::truncated_lnet_header);
    datagram.resize(10);
    EXPECT_EQ(decode_frame(datagram).error(), DropReason::truncated_socklnd_header);
}

TEST(Frame, EnforcesTheEndpointPayloadLimit)
{
    LnetHeader h = base_header();
    h.payload_length = 1500;
    h.fields = PutFields{};
    auto datagram = encode(h, std::vector<std::byte>(1500));
    EXPECT_TRUE(decode_frame(datagram, 1500));
    EXPECT_EQ(decode_frame(datagram, 1499).error(), DropReason::payload_too_long);
}

TEST(Frame, VerifiesANonZeroChecksum)
{
    LnetHeader h = base_header();
    h.payload_length = 8;
    h.fields = PutFields{};
    auto datagram = encode(h, std::vector<std::byte>(8, std::byte{0x5a}), {.checksum = true});
    uint32_t stored = load_le<uint32_t>(datagram.data() + 4);
    EXPECT_NE(stored, 0u);
    EXPECT_EQ(stored, socklnd_checksum(datagram));
    EXPECT_TRUE(decode_frame(datagram));
    datagram.back() = std::byte{0x5b};  // payload corrupted in flight
    EXPECT_EQ(decode_frame(datagram).error(), DropReason::bad_checksum);
}

TEST(Frame, EncodeRefusesASmallBuffer)
{
    LnetHeader h = base_header();
    h.fields = GetFields{};
    std::vector<std::byte> out(95);
    EXPECT_EQ(encode_frame(h, {}, out), 0u);
}
