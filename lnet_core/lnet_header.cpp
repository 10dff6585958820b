#include "lnet_core/lnet_header.hpp"

#include "lnet_core/byte_order.hpp"

namespace ostd::lnet {
namespace {

void store_handle(std::byte* at, WireHandle handle)
{
    store_le<uint64_t>(at, handle.interface_cookie);
    store_le<uint64_t>(at + 8, handle.object_cookie);
}

WireHandle load_handle(const std::byte* at)
{
    return {load_le<uint64_t>(at), load_le<uint64_t>(at + 8)};
}

// Per-type part, at offsets 32..71 of the header.
struct EncodeFields {
    std::byte* h;
    void operator()(const AckFields& f) const
    {
        store_handle(h + 32, f.dst_wmd);
        store_le<uint64_t>(h + 48, f.match_bits);
        store_le<uint32_t>(h + 56, f.mlength);
    }
    void operator()(const PutFields& f) const
    {
        store_handle(h + 32, f.ack_wmd);
        store_le<uint64_t>(h + 48, f.match_bits);
        store_le<uint64_t>(h + 56, f.hdr_data);
        store_le<uint32_t>(h + 64, f.ptl_index);
        store_le<uint32_t>(h + 68, f.offset);
    }
    void operator()(const GetFields& f) const
    {
        store_handle(h + 32, f.return_wmd);
        store_le<uint64_t>(h + 48, f.match_bits);
        store_le<uint32_t>(h + 56, f.ptl_index);
        store_le<uint32_t>(h + 60, f.src_offset);
        store_le<uint32_t>(h + 64, f.sink_length);
    }
    void operator()(const ReplyFields& f) const { store_handle(h + 32, f.dst_wmd); }
    void operator()(const HelloFields& f) const
    {
        store_le<uint64_t>(h + 32, f.incarnation);
        store_le<uint32_t>(h + 40, f.type);
    }
};

}  // namespace

void encode_lnet_header(const LnetHeader& header, std::span<std::byte, LnetHeader::size> out)
{
    std::byte* h = out.data();
    std::fill(out.begin(), out.end(), std::byte{0});
    store_le<uint64_t>(h + 0, header.dest_nid.value);
    store_le<uint64_t>(h + 8, header.src_nid.value);
    store_le<uint32_t>(h + 16, header.dest_pid);
    store_le<uint32_t>(h + 20, header.src_pid);
    store_le<uint32_t>(h + 24, static_cast<uint32_t>(header.type()));
    store_le<uint32_t>(h + 28, header.payload_length);
    std::visit(EncodeFields{h}, header.fields);
}

Result<LnetHeader, DropReason> decode_lnet_header(std::span<const std::byte> in)
{
    LnetHeader header;
    if (auto status = decode_lnet_header(in, header); !status)
        return status.error();
    return header;
}

Status<DropReason> decode_lnet_header(std::span<const std::byte> in, LnetHeader& header)
{
    if (in.size() < LnetHeader::size)
        return DropReason::truncated_lnet_header;
    const std::byte* h = in.data();
    header.dest_nid = Nid{load_le<uint64_t>(h + 0)};
    header.src_nid = Nid{load_le<uint64_t>(h + 8)};
    header.dest_pid = load_le<uint32_t>(h + 16);
    header.src_pid = load_le<uint32_t>(h + 20);
    uint32_t type = load_le<uint32_t>(h + 24);
    header.payload_length = load_le<uint32_t>(h + 28);

    switch (static_cast<MsgType>(type)) {
    case MsgType::ack:
        header.fields = AckFields{load_handle(h + 32), load_le<uint64_t>(h + 48),
                                  load_le<uint32_t>(h + 56)};
        break;
    case MsgType::put: {
        PutFields put{load_handle(h + 32), load_le<uint64_t>(h + 48), load_le<uint64_t>(h + 56),
                      load_le<uint32_t>(h + 64), load_le<uint32_t>(h + 68)};
        if (put.ptl_index >= portal_count)
            return DropReason::bad_portal;
        header.fields = put;
        break;
    }
    case MsgType::get: {
        GetFields get{load_handle(h + 32), load_le<uint64_t>(h + 48), load_le<uint32_t>(h + 56),
                      load_le<uint32_t>(h + 60), load_le<uint32_t>(h + 64)};
        if (get.ptl_index >= portal_count)
            return DropReason::bad_portal;
        header.fields = get;
        break;
    }
    case MsgType::reply:
        header.fields = ReplyFields{load_handle(h + 32)};
        break;
    case MsgType::hello:
        header.fields = HelloFields{load_le<uint64_t>(h + 32), load_le<uint32_t>(h + 40)};
        break;
    default:
        return DropReason::bad_message_type;
    }

    bool carries_payload = header.type() == MsgType::put || header.type() == MsgType::reply;
    if (!carries_payload && header.payload_length != 0)
        return DropReason::payload_not_allowed;
    if (header.payload_length > max_payload)
        return DropReason::payload_too_long;
    return {};
}

}  // namespace ostd::lnet
