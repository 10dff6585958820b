#include "lnet_core/ptlrpc/ost_wire.hpp"

#include "lnet_core/byte_order.hpp"

namespace ostd::lnet::ptlrpc {
namespace {

void store_ioobj(std::byte* p, const ObdIoobj& o)
{
    store_le<uint64_t>(p + 0, o.id);
    store_le<uint64_t>(p + 8, o.seq);
    store_le<uint32_t>(p + 16, o.max_brw);
    store_le<uint32_t>(p + 20, o.bufcnt);
}

ObdIoobj load_ioobj(const std::byte* p)
{
    return {load_le<uint64_t>(p), load_le<uint64_t>(p + 8), load_le<uint32_t>(p + 16), load_le<uint32_t>(p + 20)};
}

void store_niobuf(std::byte* p, const NiobufRemote& n)
{
    store_le<uint64_t>(p + 0, n.offset);
    store_le<uint32_t>(p + 8, n.len);
    store_le<uint32_t>(p + 12, n.flags);
}

NiobufRemote load_niobuf(const std::byte* p)
{
    return {load_le<uint64_t>(p), load_le<uint32_t>(p + 8), load_le<uint32_t>(p + 12)};
}

template <typename T, size_t ElementSize, typename Store>
std::vector<std::byte> encode_array(std::span<const T> items, Store store)
{
    std::vector<std::byte> out(items.size() * ElementSize);
    for (size_t i = 0; i < items.size(); ++i)
        store(out.data() + i * ElementSize, items[i]);
    return out;
}

template <typename T, size_t ElementSize, typename Load>
Result<std::vector<T>, MessageError> decode_array(std::span<const std::byte> in, Load load)
{
    if (in.empty())
        return MessageError::short_buffer;
    if (in.size() % ElementSize != 0)
        return MessageError::bad_array_length;
    std::vector<T> items(in.size() / ElementSize);
    for (size_t i = 0; i < items.size(); ++i)
        items[i] = load(in.data() + i * ElementSize);
    return items;
}

}  // namespace

std::array<std::byte, Obdo::size> encode_obdo(const Obdo& o)
{
    std::array<std::byte, Obdo::size> out{};
    std::byte* b = out.data();
    store_le<uint64_t>(b + 0, o.valid);
    store_le<uint64_t>(b + 8, o.id);
    store_le<uint64_t>(b + 16, o.seq);
    store_le<uint64_t>(b + 24, o.parent_seq);
    store_le<uint64_t>(b + 32, o.size_);
    store_le<int64_t>(b + 40, o.mtime);
    store_le<int64_t>(b + 48, o.atime);
    store_le<int64_t>(b + 56, o.ctime);
    store_le<uint64_t>(b + 64, o.blocks);
    store_le<uint64_t>(b + 72, o.grant);
    store_le<uint32_t>(b + 80, o.blksize);
    store_le<uint32_t>(b + 84, o.mode);
    store_le<uint32_t>(b + 88, o.uid);
    store_le<uint32_t>(b + 92, o.gid);
    store_le<uint32_t>(b + 96, o.flags);
    store_le<uint32_t>(b + 100, o.nlink);
    store_le<uint32_t>(b + 104, o.parent_oid);
    store_le<uint32_t>(b + 108, o.misc);
    store_le<uint64_t>(b + 112, o.ioepoch);
    store_le<uint32_t>(b + 120, o.stripe_idx);
    store_le<uint32_t>(b + 124, o.parent_ver);
    store_le<uint64_t>(b + 128, o.handle);
    // 136..163: o_layout (ost_layout), unused by ostd
    store_le<uint32_t>(b + 164, o.layout_version);
    store_le<uint32_t>(b + 168, o.uid_h);
    store_le<uint32_t>(b + 172, o.gid_h);
    store_le<uint64_t>(b + 176, o.data_version);
    store_le<uint32_t>(b + 184, o.projid);
    return out;
}

Result<Obdo, MessageError> decode_obdo(std::span<const std::byte> in)
{
    if (in.size() < Obdo::size)
        return MessageError::short_buffer;
    const std::byte* b = in.data();
    Obdo o;
    o.valid = load_le<uint64_t>(b + 0);
    o.id = load_le<uint64_t>(b + 8);
    o.seq = load_le<uint64_t>(b + 16);
    o.parent_seq = load_le<uint64_t>(b + 24);
    o.size_ = load_le<uint64_t>(b + 32);
    o.mtime = load_le<int64_t>(b + 40);
    o.atime = load_le<int64_t>(b + 48);
    o.ctime = load_le<int64_t>(b + 56);
    o.blocks = load_le<uint64_t>(b + 64);
    o.grant = load_le<uint64_t>(b + 72);
    o.blksize = load_le<uint32_t>(b + 80);
    o.mode = load_le<uint32_t>(b + 84);
    o.uid = load_le<uint32_t>(b + 88);
    o.gid = load_le<uint32_t>(b + 92);
    o.flags = load_le<uint32_t>(b + 96);
    o.nlink = load_le<uint32_t>(b + 100);
    o.parent_oid = load_le<uint32_t>(b + 104);
    o.misc = load_le<uint32_t>(b + 108);
    o.ioepoch = load_le<uint64_t>(b + 112);
    o.stripe_idx = load_le<uint32_t>(b + 120);
    o.parent_ver = load_le<uint32_t>(b + 124);
    o.handle = load_le<uint64_t>(b + 128);
    o.layout_version = load_le<uint32_t>(b + 164);
    o.uid_h = load_le<uint32_t>(b + 168);
    o.gid_h = load_le<uint32_t>(b + 172);
    o.data_version = load_le<uint64_t>(b + 176);
    o.projid = load_le<uint32_t>(b + 184);
    return o;
}

std::array<std::byte, OstLvb::size> encode_ost_lvb(const OstLvb& lvb)
{
    std::array<std::byte, OstLvb::size> out{};
    std::byte* b = out.data();
    store_le<uint64_t>(b + 0, lvb.size_);
    store_le<int64_t>(b + 8, lvb.mtime);
    store_le<int64_t>(b + 16, lvb.atime);
    store_le<int64_t>(b + 24, lvb.ctime);
    store_le<uint64_t>(b + 32, lvb.blocks);
    store_le<uint32_t>(b + 40, lvb.mtime_ns);
    store_le<uint32_t>(b + 44, lvb.atime_ns);
    store_le<uint32_t>(b + 48, lvb.ctime_ns);
    return out;
}

Result<OstLvb, MessageError> decode_ost_lvb(std::span<const std::byte> in)
{
    if (in.size() < OstLvb::size)
        return MessageError::short_buffer;
    const std::byte* b = in.data();
    return OstLvb{load_le<uint64_t>(b), load_le<int64_t>(b + 8), load_le<int64_t>(b + 16),
                  load_le<int64_t>(b + 24), load_le<uint64_t>(b + 32), load_le<uint32_t>(b + 40),
                  load_le<uint32_t>(b + 44), load_le<uint32_t>(b + 48)};
}

std::vector<std::byte> encode_ioobjs(std::span<const ObdIoobj> ioobjs)
{
    return encode_array<ObdIoobj, ObdIoobj::size>(ioobjs, store_ioobj);
}

Result<std::vector<ObdIoobj>, MessageError> decode_ioobjs(std::span<const std::byte> in)
{
    return decode_array<ObdIoobj, ObdIoobj::size>(in, load_ioobj);
}

std::vector<std::byte> encode_niobufs(std::span<const NiobufRemote> niobufs)
{
    return encode_array<NiobufRemote, NiobufRemote::size>(niobufs, store_niobuf);
}

Result<std::vector<NiobufRemote>, MessageError> decode_niobufs(std::span<const std::byte> in)
{
    return decode_array<NiobufRemote, NiobufRemote::size>(in, load_niobuf);
}

std::vector<std::byte> encode_write_rcs(std::span<const int32_t> rcs)
{
    return encode_array<int32_t, 4>(rcs, [](std::byte* p, int32_t rc) { store_le<int32_t>(p, rc); });
}

Result<std::vector<int32_t>, MessageError> decode_write_rcs(std::span<const std::byte> in)
{
    return decode_array<int32_t, 4>(in, [](const std::byte* p) { return load_le<int32_t>(p); });
}

}  // namespace ostd::lnet::ptlrpc
