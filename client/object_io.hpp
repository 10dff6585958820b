// Object I/O on one OST (DESIGN.md 4.4-4.6): OST_WRITE and OST_READ split
// into RPCs of at most brw_size bytes (cut at brw_size boundaries, as Lustre
// does), each one niobuf with its bulk MD; OST_PUNCH, OST_GETATTR,
// OST_SETATTR (size) and OST_SYNC. Every call names the server lock that
// covers it (ost_body.o_handle; 0 if none).
#pragma once

#include <cstdint>
#include <span>

#include "client/rpc_client.hpp"
#include "lnet_core/ptlrpc/ost_wire.hpp"

namespace ostd::client {

struct ObjectId {
    uint64_t id = 0;
    uint64_t seq = 0;
    friend bool operator==(const ObjectId&, const ObjectId&) = default;
    friend auto operator<=>(const ObjectId&, const ObjectId&) = default;
};

inline constexpr uint64_t object_eof = ~uint64_t{0};  // "to the end of the object"

struct IoCounters {
    lnet::Counter write_rpcs;
    lnet::Counter read_rpcs;
    lnet::Counter bytes_written;
    lnet::Counter bytes_read;
};

class ObjectIo {
public:
    ObjectIo(RpcClient& rpc, uint32_t brw_size = 1u << 20);

    // Bytes written (all of data, or an error).
    lnet::Result<uint64_t, RpcError> write(ObjectId object, uint64_t offset, std::span<const std::byte> data,
                                           uint64_t lock_handle = 0);
    // Bytes read: fewer than out.size() at the end of the object.
    lnet::Result<uint64_t, RpcError> read(ObjectId object, uint64_t offset, std::span<std::byte> out,
                                          uint64_t lock_handle = 0);
    // Frees [start, end] (end object_eof: truncates the object to start).
    lnet::Result<ptlrpc::Obdo, RpcError> punch(ObjectId object, uint64_t start, uint64_t end,
                                               uint64_t lock_handle = 0);
    lnet::Result<ptlrpc::Obdo, RpcError> getattr(ObjectId object, uint64_t lock_handle = 0);
    lnet::Result<ptlrpc::Obdo, RpcError> setattr_size(ObjectId object, uint64_t size, uint64_t lock_handle = 0);
    lnet::Result<ptlrpc::Obdo, RpcError> sync(ObjectId object, uint64_t start = 0, uint64_t end = object_eof);

    uint32_t brw_size() const { return _brw_size; }
    void set_brw_size(uint32_t brw_size) { _brw_size = brw_size ? brw_size : 1u << 20; }
    const IoCounters& counters() const { return _counters; }
    RpcClient& rpc() { return _rpc; }

private:
    // One RPC: one niobuf [offset, offset + memory.size()).
    lnet::Result<uint64_t, RpcError> brw(ptlrpc::Opcode opc, ObjectId object, uint64_t offset,
                                         std::span<std::byte> memory, uint64_t lock_handle);
    lnet::Result<ptlrpc::Obdo, RpcError> attr_call(ptlrpc::Opcode opc, ptlrpc::Obdo body);

    RpcClient& _rpc;
    uint32_t _brw_size;
    IoCounters _counters;
};

// The refusal of an RPC whose reply status is not 0 (or, for a read, negative).
RpcError refused(const RpcClient& rpc, ptlrpc::Opcode opc, int32_t status);

}  // namespace ostd::client
