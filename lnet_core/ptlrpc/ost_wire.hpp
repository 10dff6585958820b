// OST bodies on the wire (DESIGN.md 4.5, 4.6): ost_body = obdo (208),
// obd_ioobj (24), niobuf_remote (16), ost_lvb (56). Offsets from Lustre's
// lustre_idl.h; obdo fields we do not use (o_layout) are sent as zero.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "lnet_core/ptlrpc/message_error.hpp"
#include "lnet_core/result.hpp"

namespace ostd::lnet::ptlrpc {

// obdo.o_valid bits (OBD_MD_*)
namespace obd_md {
inline constexpr uint64_t id = 0x1;
inline constexpr uint64_t atime = 0x2;
inline constexpr uint64_t mtime = 0x4;
inline constexpr uint64_t ctime = 0x8;
inline constexpr uint64_t size = 0x10;
inline constexpr uint64_t blocks = 0x20;
inline constexpr uint64_t blksz = 0x40;
inline constexpr uint64_t flags = 0x800;
inline constexpr uint64_t handle = 0x80000;
inline constexpr uint64_t cksum = 0x100000;
inline constexpr uint64_t group = 0x01000000;
inline constexpr uint64_t grant = 0x08000000;
}  // namespace obd_md

// niobuf_remote.rnb_flags (OBD_BRW_*)
inline constexpr uint32_t obd_brw_read = 0x1;
inline constexpr uint32_t obd_brw_write = 0x2;

struct Obdo {
    static constexpr size_t size = 208;
    uint64_t valid = 0;
    uint64_t id = 0;   // o_oi: object id
    uint64_t seq = 0;  // o_oi: sequence
    uint64_t parent_seq = 0;
    uint64_t size_ = 0;  // o_size ("size" is the struct's byte count)
    int64_t mtime = 0;
    int64_t atime = 0;
    int64_t ctime = 0;
    uint64_t blocks = 0;
    uint64_t grant = 0;
    uint32_t blksize = 0;
    uint32_t mode = 0;
    uint32_t uid = 0;
    uint32_t gid = 0;
    uint32_t flags = 0;
    uint32_t nlink = 0;
    uint32_t parent_oid = 0;
    uint32_t misc = 0;
    uint64_t ioepoch = 0;
    uint32_t stripe_idx = 0;
    uint32_t parent_ver = 0;
    uint64_t handle = 0;  // server lock cookie covering the I/O (DESIGN 4.6)
    uint32_t layout_version = 0;
    uint32_t uid_h = 0;
    uint32_t gid_h = 0;
    uint64_t data_version = 0;
    uint32_t projid = 0;
    bool operator==(const Obdo&) const = default;
};

struct ObdIoobj {
    static constexpr size_t size = 24;
    uint64_t id = 0;
    uint64_t seq = 0;
    uint32_t max_brw = 0;  // (bulk MDs - 1) << 16
    uint32_t bufcnt = 0;   // niobufs of this object
    bool operator==(const ObdIoobj&) const = default;
};

struct NiobufRemote {
    static constexpr size_t size = 16;
    uint64_t offset = 0;
    uint32_t len = 0;
    uint32_t flags = 0;
    bool operator==(const NiobufRemote&) const = default;
};

struct OstLvb {
    static constexpr size_t size = 56;
    uint64_t size_ = 0;
    int64_t mtime = 0;
    int64_t atime = 0;
    int64_t ctime = 0;
    uint64_t blocks = 0;
    uint32_t mtime_ns = 0;
    uint32_t atime_ns = 0;
    uint32_t ctime_ns = 0;
    bool operator==(const OstLvb&) const = default;
};

std::array<std::byte, Obdo::size> encode_obdo(const Obdo& obdo);
Result<Obdo, MessageError> decode_obdo(std::span<const std::byte> in);

std::array<std::byte, OstLvb::size> encode_ost_lvb(const OstLvb& lvb);
Result<OstLvb, MessageError> decode_ost_lvb(std::span<const std::byte> in);

// Arrays: a buffer of n whole elements. Decoding refuses an empty buffer
// (short_buffer) or a length that is not a multiple of the element size
// (bad_array_length).
std::vector<std::byte> encode_ioobjs(std::span<const ObdIoobj> ioobjs);
Result<std::vector<ObdIoobj>, MessageError> decode_ioobjs(std::span<const std::byte> in);
std::vector<std::byte> encode_niobufs(std::span<const NiobufRemote> niobufs);
Result<std::vector<NiobufRemote>, MessageError> decode_niobufs(std::span<const std::byte> in);

// OST_WRITE reply: one rc (u32, -errno or 0) per niobuf.
std::vector<std::byte> encode_write_rcs(std::span<const int32_t> rcs);
Result<std::vector<int32_t>, MessageError> decode_write_rcs(std::span<const std::byte> in);

}  // namespace ostd::lnet::ptlrpc
