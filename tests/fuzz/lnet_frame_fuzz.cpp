// libFuzzer target: a UDP payload as LNET receives it. Both forms of
// decode_frame (the data path's in-place one and the Result one) must agree;
// a frame that decodes must re-encode to one that decodes to the same header;
// the socklnd and lnet_hdr decoders and the ping info (a REPLY's payload)
// are fed the bytes on their own too.
#include "lnet_core/frame.hpp"
#include "lnet_core/ping_info.hpp"
#include "tests/fuzz/fuzz_check.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

using namespace ostd::lnet;

namespace {

// Encodes what was decoded and decodes it again: the same header and payload.
void check_round_trip(const LnetHeader& header, std::span<const std::byte> payload)
{
    std::vector<std::byte> encoded(frame_overhead + payload.size());
    FUZZ_CHECK(encode_frame(header, payload, encoded, {.checksum = true}) == encoded.size());
    auto again = decode_frame(encoded);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->header == header);
    FUZZ_CHECK(again->payload.size() == payload.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // A copy exactly the input's size, so ASan sees any read past its end.
    std::vector<std::byte> bytes(reinterpret_cast<const std::byte*>(data), reinterpret_cast<const std::byte*>(data + size));

    LnetHeader in_place;
    bool noop = false;
    Status<DropReason> status = decode_frame(bytes, max_payload, in_place, noop);
    auto frame = decode_frame(bytes);
    FUZZ_CHECK(status.ok() == frame.ok());
    if (!frame) {
        FUZZ_CHECK(frame.error() == status.error());
        FUZZ_CHECK(frame.error() < DropReason::count_);
        FUZZ_CHECK(!drop_reason_name(frame.error()).empty());
    } else if (noop) {
        FUZZ_CHECK(!frame->header.has_value());
        FUZZ_CHECK(bytes.size() == SocklndHeader::size);
    } else {
        FUZZ_CHECK(frame->header == in_place);
        FUZZ_CHECK(frame->payload.size() == in_place.payload_length);
        FUZZ_CHECK(frame->payload.data() + frame->payload.size() == bytes.data() + bytes.size());
        check_round_trip(in_place, frame->payload);
        if (auto ping = decode_ping_info(frame->payload))
            FUZZ_CHECK(decode_ping_info(encode_ping_info(*ping)) == ping);
    }

    // The parts on their own, at the start of the input.
    (void)decode_socklnd_header(bytes);
    if (auto header = decode_lnet_header(bytes)) {
        std::vector<std::byte> encoded(LnetHeader::size);
        encode_lnet_header(*header, std::span(encoded).first<LnetHeader::size>());
        auto again = decode_lnet_header(encoded);
        FUZZ_CHECK(again.ok() && *again == *header);
    }
    if (auto ping = decode_ping_info(bytes))
        FUZZ_CHECK(decode_ping_info(encode_ping_info(*ping)) == ping);
    return 0;
}
