#include "client/object_io.hpp"

#include <algorithm>

#include "client/bulk.hpp"

namespace ostd::client {

namespace {

ptlrpc::Obdo object_body(ObjectId object, uint64_t lock_handle)
{
    ptlrpc::Obdo body;
    body.valid = ptlrpc::obd_md::id | ptlrpc::obd_md::group;
    body.id = object.id;
    body.seq = object.seq;
    if (lock_handle != 0) {
        body.valid |= ptlrpc::obd_md::handle;
        body.handle = lock_handle;
    }
    return body;
}

std::vector<std::byte> bytes_of(std::span<const std::byte> in) { return {in.begin(), in.end()}; }

}  // namespace

RpcError refused(const RpcClient& rpc, ptlrpc::Opcode opc, int32_t status)
{
    return RpcError{RpcErrc::refused,
                    std::string(ptlrpc::opcode_name(opc)) + " to " + lnet::format_nid(rpc.config().server.nid) +
                        " refused: status " + std::to_string(status),
                    std::nullopt, status};
}

ObjectIo::ObjectIo(RpcClient& rpc, uint32_t brw_size) : _rpc(rpc), _brw_size(brw_size ? brw_size : 1u << 20) {}

lnet::Result<uint64_t, RpcError> ObjectIo::brw(ptlrpc::Opcode opc, ObjectId object, uint64_t offset,
                                               std::span<std::byte> memory, uint64_t lock_handle)
{
    bool writing = opc == ptlrpc::Opcode::ost_write;
    uint64_t xid = _rpc.next_xid();
    auto bulk = BulkBuffer::post(_rpc.transport(), _rpc.config().server, xid, memory,
                                 writing ? BulkDirection::to_server : BulkDirection::from_server);
    if (!bulk)
        return RpcError{RpcErrc::send, bulk.error(), std::nullopt, 0};

    ptlrpc::ObdIoobj ioobj{object.id, object.seq, 0, 1};
    ptlrpc::NiobufRemote niobuf{offset, static_cast<uint32_t>(memory.size()),
                                writing ? ptlrpc::obd_brw_write : ptlrpc::obd_brw_read};
    Request request;
    request.opc = opc;
    request.body.mbits = xid;
    request.buffers = {bytes_of(ptlrpc::encode_obdo(object_body(object, lock_handle))),
                       ptlrpc::encode_ioobjs(std::span(&ioobj, 1)), ptlrpc::encode_niobufs(std::span(&niobuf, 1)),
                       {}, {}};
    auto reply = _rpc.call(std::move(request));
    bulk.value().release();
    if (!reply)
        return reply.error();
    if (reply->xid != xid)
        return RpcError{RpcErrc::send, "bulk posted for xid " + std::to_string(xid) + " but the RPC went as " +
                                           std::to_string(reply->xid), std::nullopt, 0};
    int32_t status = reply->status();
    if (writing) {
        if (status != 0)
            return refused(_rpc, opc, status);
        auto rcs = ptlrpc::decode_write_rcs(reply->buffer(2));
        if (rcs)
            for (int32_t rc : *rcs)
                if (rc != 0)
                    return refused(_rpc, opc, rc);
        _counters.write_rpcs.add();
        _counters.bytes_written.add(memory.size());
        return memory.size();
    }
    if (status < 0)
        return refused(_rpc, opc, status);
    uint64_t got = std::min<uint64_t>(static_cast<uint64_t>(status), memory.size());
    _counters.read_rpcs.add();
    _counters.bytes_read.add(got);
    return got;
}

lnet::Result<uint64_t, RpcError> ObjectIo::write(ObjectId object, uint64_t offset, std::span<const std::byte> data,
                                                 uint64_t lock_handle)
{
    uint64_t done = 0;
    while (done < data.size()) {
        uint64_t at = offset + done;
        uint64_t room = _brw_size - at % _brw_size;  // to the next brw_size boundary
        size_t length = static_cast<size_t>(std::min<uint64_t>(room, data.size() - done));
        // The bulk MD only answers GETs; the bytes are never written through it.
        std::span<std::byte> piece(const_cast<std::byte*>(data.data() + done), length);
        auto written = brw(ptlrpc::Opcode::ost_write, object, at, piece, lock_handle);
        if (!written)
            return written.error();
        done += length;
    }
    return done;
}

lnet::Result<uint64_t, RpcError> ObjectIo::read(ObjectId object, uint64_t offset, std::span<std::byte> out,
                                                uint64_t lock_handle)
{
    uint64_t done = 0;
    while (done < out.size()) {
        uint64_t at = offset + done;
        uint64_t room = _brw_size - at % _brw_size;
        size_t length = static_cast<size_t>(std::min<uint64_t>(room, out.size() - done));
        auto got = brw(ptlrpc::Opcode::ost_read, object, at, out.subspan(done, length), lock_handle);
        if (!got)
            return got.error();
        done += *got;
        if (*got < length)
            break;  // end of the object
    }
    return done;
}

lnet::Result<ptlrpc::Obdo, RpcError> ObjectIo::attr_call(ptlrpc::Opcode opc, ptlrpc::Obdo body)
{
    Request request;
    request.opc = opc;
    request.buffers = {bytes_of(ptlrpc::encode_obdo(body)), {}};
    auto reply = _rpc.call(std::move(request));
    if (!reply)
        return reply.error();
    if (reply->status() != 0)
        return refused(_rpc, opc, reply->status());
    auto obdo = ptlrpc::decode_obdo(reply->buffer(1));
    if (!obdo)
        return RpcError{RpcErrc::bad_reply, std::string(ptlrpc::opcode_name(opc)) + ": bad ost_body in the reply",
                        obdo.error(), 0};
    return *obdo;
}

// Lustre's convention for PUNCH and SYNC: o_size = start, o_blocks = end.
lnet::Result<ptlrpc::Obdo, RpcError> ObjectIo::punch(ObjectId object, uint64_t start, uint64_t end,
                                                     uint64_t lock_handle)
{
    ptlrpc::Obdo body = object_body(object, lock_handle);
    body.valid |= ptlrpc::obd_md::size | ptlrpc::obd_md::blocks;
    body.size_ = start;
    body.blocks = end;
    return attr_call(ptlrpc::Opcode::ost_punch, body);
}

lnet::Result<ptlrpc::Obdo, RpcError> ObjectIo::getattr(ObjectId object, uint64_t lock_handle)
{
    return attr_call(ptlrpc::Opcode::ost_getattr, object_body(object, lock_handle));
}

lnet::Result<ptlrpc::Obdo, RpcError> ObjectIo::setattr_size(ObjectId object, uint64_t size, uint64_t lock_handle)
{
    ptlrpc::Obdo body = object_body(object, lock_handle);
    body.valid |= ptlrpc::obd_md::size;
    body.size_ = size;
    return attr_call(ptlrpc::Opcode::ost_setattr, body);
}

lnet::Result<ptlrpc::Obdo, RpcError> ObjectIo::sync(ObjectId object, uint64_t start, uint64_t end)
{
    ptlrpc::Obdo body = object_body(object, 0);
    body.valid |= ptlrpc::obd_md::size | ptlrpc::obd_md::blocks;
    body.size_ = start;
    body.blocks = end;
    return attr_call(ptlrpc::Opcode::ost_sync, body);
}

}  // namespace ostd::client
