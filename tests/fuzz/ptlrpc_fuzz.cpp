// libFuzzer target: a ptlrpc message (lustre_msg_v2) as the server and the
// client receive it, through decode_message, check_request / check_reply and
// the typed decoder of every buffer of the opcode's layout.
// Input: two bytes of switches, then the message.
//   byte 0, low 2 bits: write pb_type REQUEST (0), REPLY (1), ERR (2), or keep it (3);
//   byte 1: write pb_opc (and its pb_version) = the n-th known opcode, or keep it (n >= 16).
// The switches take the fuzzer to every opcode's layout from any seed.
#include "lnet_core/byte_order.hpp"
#include "lnet_core/ptlrpc/connect_wire.hpp"
#include "lnet_core/ptlrpc/ladvise_wire.hpp"
#include "lnet_core/ptlrpc/ldlm_wire.hpp"
#include "lnet_core/ptlrpc/message.hpp"
#include "lnet_core/ptlrpc/ost_wire.hpp"
#include "lnet_core/ptlrpc/rpc_layout.hpp"
#include "tests/fuzz/fuzz_check.hpp"
#include "tests/fuzz/known_opcodes.hpp"

#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

using namespace ostd::lnet;
using namespace ostd::lnet::ptlrpc;
using ostd::fuzz::known_opcodes;

namespace {

using Refusal = std::optional<MessageError>;  // empty: decoded

// Decodes; if that works, what it encodes to decodes to the same value.
template <typename Decode, typename Encode>
Refusal decodes(std::span<const std::byte> buffer, Decode decode, Encode encode)
{
    auto value = decode(buffer);
    if (!value)
        return value.error();
    auto encoded = encode(*value);
    auto again = decode(encoded);
    FUZZ_CHECK(again.ok() && *again == *value);
    return std::nullopt;
}

// The typed decoder for a layout buffer, by its name. Returns why the buffer
// was refused; opaque buffers (strings, capabilities, inline data) never are.
Refusal decode_buffer(std::string_view name, std::span<const std::byte> buffer)
{
    if (name == "ost_body")
        return decodes(buffer, decode_obdo, encode_obdo);
    if (name == "obd_ioobj")
        return decodes(buffer, decode_ioobjs, [](const auto& v) { return encode_ioobjs(v); });
    if (name == "niobuf_remote")
        return decodes(buffer, decode_niobufs, [](const auto& v) { return encode_niobufs(v); });
    if (name == "rcs")
        return decodes(buffer, decode_write_rcs, [](const auto& v) { return encode_write_rcs(v); });
    if (name == "ladvise_hdr")
        return decodes(buffer, decode_ladvise_hdr, encode_ladvise_hdr);
    if (name == "lu_ladvise")
        return decodes(buffer, decode_ladvises, [](const auto& v) { return encode_ladvises(v); });
    if (name == "obd_connect_data")
        return decodes(buffer, decode_connect_data, encode_connect_data);
    if (name == "ldlm_request")
        return decodes(buffer, decode_ldlm_request, encode_ldlm_request);
    if (name == "ldlm_intent")
        return decodes(buffer, decode_ldlm_intent, encode_ldlm_intent);
    if (name == "ldlm_reply")
        return decodes(buffer, decode_ldlm_reply, encode_ldlm_reply);
    if (name == "ost_lvb")
        return decodes(buffer, decode_ost_lvb, encode_ost_lvb);
    if (name == "capa" || name == "short_io" || name == "target_uuid" || name == "client_uuid" ||
        name == "connect_handle")
        return std::nullopt;
    // A new buffer in rpc_layout.cpp: give it its decoder above.
    std::fprintf(stderr, "ptlrpc_fuzz: no decoder for layout buffer '%.*s'\n", int(name.size()), name.data());
    std::abort();
}

// Feeds buffers 1.. to the decoders of specs. validated: check_request or
// check_reply accepted the message, so no non-empty buffer may be refused for
// its size (what the layout checks); its contents (a magic, a lock count) may be.
void decode_buffers(const Message& msg, std::span<const BufferSpec> specs, bool validated)
{
    for (size_t i = 0; i < specs.size(); ++i) {
        std::span<const std::byte> buffer = msg.buffer(i + 1);
        Refusal refusal = decode_buffer(specs[i].name, buffer);
        if (validated && !buffer.empty() && refusal)
            FUZZ_CHECK(*refusal != MessageError::short_buffer && *refusal != MessageError::bad_array_length);
    }
}

// Re-encodes the decoded buffers: the same message, buffer for buffer.
void check_round_trip(const Message& msg)
{
    std::vector<std::span<const std::byte>> buffers(msg.buffers.begin(), msg.buffers.begin() + msg.bufcount);
    std::vector<std::byte> encoded = encode_message(buffers, msg.header);
    FUZZ_CHECK(encoded.size() == message_length(buffers));
    auto again = decode_message(encoded);
    FUZZ_CHECK(again.ok() && again->bufcount == msg.bufcount);
    for (size_t i = 0; i < msg.bufcount; ++i)
        FUZZ_CHECK(std::ranges::equal(again->buffer(i), msg.buffer(i)));
}

// Writes pb_type and pb_opc/pb_version into buffer 0, as the switches ask.
void apply_switches(std::vector<std::byte>& bytes, const Message& msg, uint8_t type_switch, uint8_t opcode_switch)
{
    std::span<const std::byte> body = msg.buffer(0);
    if (body.size() < 20)
        return;
    std::byte* b = bytes.data() + (body.data() - bytes.data());
    constexpr ptlrpc::MsgType types[] = {ptlrpc::MsgType::request, ptlrpc::MsgType::reply, ptlrpc::MsgType::err};
    if (type_switch < 3)
        store_le<uint32_t>(b + 8, static_cast<uint32_t>(types[type_switch]));
    if (opcode_switch < known_opcodes.size()) {
        Opcode opc = known_opcodes[opcode_switch];
        store_le<uint32_t>(b + 12, rpc_route(opc)->version);
        store_le<uint32_t>(b + 16, static_cast<uint32_t>(opc));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 2)
        return 0;
    // A copy exactly the message's size, so ASan sees any read past its end.
    std::vector<std::byte> bytes(reinterpret_cast<const std::byte*>(data + 2), reinterpret_cast<const std::byte*>(data + size));
    auto msg = decode_message(bytes);
    if (!msg) {
        FUZZ_CHECK(msg.error() < MessageError::count_);
        FUZZ_CHECK(!message_error_name(msg.error()).empty());
        return 0;
    }
    FUZZ_CHECK(msg->bufcount >= 1 && msg->bufcount <= max_buffers);
    for (size_t i = 0; i < msg->bufcount; ++i)
        FUZZ_CHECK(msg->buffer(i).data() >= bytes.data() &&
                   msg->buffer(i).data() + msg->buffer(i).size() <= bytes.data() + bytes.size());
    check_round_trip(*msg);

    apply_switches(bytes, *msg, data[0] & 3, data[1]);
    auto body = decode_ptlrpc_body(msg->buffer(0));
    if (!body)
        return 0;
    FUZZ_CHECK(decode_ptlrpc_body(encode_ptlrpc_body(*body)).value() == *body);
    const RpcLayout* layout = rpc_layout(body->opc);
    auto request = check_request(*msg);
    auto reply = check_reply(*msg);
    if (!layout) {
        FUZZ_CHECK(!request.ok() && !reply.ok());
        return 0;
    }
    decode_buffers(*msg, layout->request, request.ok());
    bool reply_has_buffers = reply.ok() && reply->type == ptlrpc::MsgType::reply && reply->status >= 0;
    decode_buffers(*msg, layout->reply, reply_has_buffers);
    return 0;
}
