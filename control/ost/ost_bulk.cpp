// OstIo's moving parts: bulk pieces (GETs for writes, PUTs for reads), the
// phase machine, and replies.
#include <algorithm>
#include <cerrno>

#include "control/ost/io_rpc.hpp"
#include "control/ost/ost_io.hpp"
#include "lnet_core/ptlrpc/message.hpp"
#include "lnet_core/ptlrpc/opcodes.hpp"
#include "lnet_core/ptlrpc/rpc_layout.hpp"

namespace ostd::control::ost {

namespace ptlrpc = lnet::ptlrpc;
using ptlrpc::Opcode;

namespace {

constexpr uint64_t cookie_bits = 20;
constexpr uint64_t bulk_flag = uint64_t{1} << 47;  // beside the request buffers' tag | index

uint64_t bulk_user_data(uint64_t tag, uint64_t id, size_t piece) { return tag | bulk_flag | (id << cookie_bits) | piece; }

}  // namespace

void OstIo::on_bulk_event(const lnet::Event& event, lnet::TxSink& tx, Clock::time_point now)
{
    if (!(event.user_data & bulk_flag))
        return;
    uint64_t low = event.user_data & (bulk_flag - 1);
    auto it = _rpcs.find(low >> cookie_bits);
    if (it == _rpcs.end())
        return;  // an UNLINK of an RPC already freed
    Rpc& rpc = *it->second;
    size_t index = low & ((uint64_t{1} << cookie_bits) - 1);
    if (index >= rpc.pieces.size() || rpc.pieces[index].md != event.md)
        return;
    Piece& piece = rpc.pieces[index];
    if (event.unlinked && piece.linked) {
        piece.linked = false;
        --rpc.linked;
    }
    bool completes = (rpc.phase == Phase::fetching && event.type == lnet::EventType::reply) ||
                     (rpc.phase == Phase::sending && event.type == lnet::EventType::ack);
    if (event.status != 0 || (completes && event.mlength != piece.length)) {
        _stats.bulk_failures.add();
        if (rpc.phase == Phase::fetching || rpc.phase == Phase::sending) {
            rpc.status = event.status != 0 ? event.status : -EIO;
            rpc.phase = Phase::dying;
            reply_error(rpc.body, rpc.msg_flags, rpc.peer, rpc.xid, -rpc.status, tx);
        }
    } else if (completes && !piece.done) {
        piece.done = true;
        ++rpc.pieces_done;
        rpc.newest_done_sent = std::max(rpc.newest_done_sent, piece.sent_at);
    }
    advance(rpc, tx, now);
}

size_t OstIo::advance(Rpc& rpc, lnet::TxSink& tx, Clock::time_point now)
{
    switch (rpc.phase) {
    case Phase::fetching: {
        size_t sent = send_pieces(rpc, tx, now);
        if (rpc.pieces_done < rpc.pieces.size())
            return sent;
        rpc.phase = Phase::storing;
        return sent + submit_store(rpc);
    }
    case Phase::storing:
        if (rpc.store_ops.empty()) {  // nothing to store (0-byte I/O)
            finish_store(rpc, tx, now);
            return 1;
        }
        return submit_store(rpc);
    case Phase::sending: {
        size_t sent = send_pieces(rpc, tx, now);
        if (rpc.pieces_done == rpc.pieces.size())
            reply(rpc, tx);
        return sent;
    }
    case Phase::replying:
        reply(rpc, tx);
        return 1;
    case Phase::dying: {
        for (Piece& piece : rpc.pieces)
            if (piece.linked && _endpoint.unlink(piece.md) != lnet::UnlinkStatus::pushback) {
                piece.linked = false;
                --rpc.linked;
            }
        if (rpc.linked == 0 && rpc.store_pending == 0)
            release(rpc.id);  // nothing refers to its buffer any more
        return 0;
    }
    }
    return 0;
}

// Starts pieces while fewer than `window` are in flight.
size_t OstIo::send_pieces(Rpc& rpc, lnet::TxSink& tx, Clock::time_point now)
{
    size_t sent = 0;
    while (rpc.next_piece < rpc.pieces.size() && rpc.next_piece - rpc.pieces_done < _config.window) {
        if (!send_piece(rpc, rpc.next_piece, tx, now))
            break;
        ++rpc.next_piece;
        ++sent;
        rpc.deadline = now + _config.bulk_timeout;  // progress: the client is there
    }
    return sent;
}

// One attempt at piece `index`: one MD over its slice of the buffer,
// threshold 2 (SEND then REPLY or ACK). False when it did not go out: pushed
// back (poll() tries again) or failed (the RPC is dying).
bool OstIo::send_piece(Rpc& rpc, size_t index, lnet::TxSink& tx, Clock::time_point now)
{
    bool get = rpc.phase == Phase::fetching;
    Piece& piece = rpc.pieces[index];
    lnet::MdSpec md;
    md.buffer = std::span(rpc.data.data() + piece.at, piece.length);
    md.threshold = 2;
    md.eq = &_eq;
    md.user_data = bulk_user_data(_config.tag, rpc.id, index);
    // Room for its SEND event, or for the UNLINK if the send pushes back:
    // otherwise a full EQ would leave the MD stuck and the RPC dying.
    if (_eq.free_slots() < 2) {
        _stats.tx_pushbacks.add();
        return false;
    }
    auto handle = _endpoint.bind(md);
    if (!handle) {
        _stats.tx_pushbacks.add();  // no MD slot free now; poll() retries
        return false;
    }
    lnet::SendStatus status;
    if (get) {
        status = _endpoint.get(*handle, rpc.peer, ptlrpc::portal::ost_bulk, rpc.mbits, piece.at, tx);
    } else {
        lnet::PutOptions options;
        options.ack = true;
        options.remote_offset = piece.at;
        status = _endpoint.put(*handle, rpc.peer, ptlrpc::portal::ost_bulk, rpc.mbits, options, tx);
    }
    if (status != lnet::SendStatus::sent) {
        if (_endpoint.unlink(*handle) == lnet::UnlinkStatus::pushback) {
            piece.md = *handle;  // unlinked when the RPC ends
            piece.linked = true;
            ++rpc.linked;
            rpc.status = -EIO;
            rpc.phase = Phase::dying;
            return false;
        }
        if (status == lnet::SendStatus::pushback) {
            _stats.tx_pushbacks.add();
            return false;
        }
        _stats.bulk_failures.add();
        rpc.status = -EIO;
        rpc.phase = Phase::dying;
        reply_error(rpc.body, rpc.msg_flags, rpc.peer, rpc.xid, EIO, tx);
        return false;
    }
    // The SEND event is already queued; its piece is known by its MD.
    piece.md = *handle;
    piece.linked = true;
    ++rpc.linked;
    piece.sent_at = now;
    return true;
}

// Pieces sent bulk_retry ago and not done, or bulk_fast_retry ago when a
// piece sent later is done: the GET/PUT or its REPLY/ACK was lost. The old MD goes (a late answer to it finds none), then the piece goes
// again. The RPC's deadline is left alone: only progress extends it, so a
// client that has gone still times out.
size_t OstIo::retry_pieces(Rpc& rpc, lnet::TxSink& tx, Clock::time_point now)
{
    if (rpc.phase != Phase::fetching && rpc.phase != Phase::sending)
        return 0;
    while (rpc.first_undone < rpc.next_piece && rpc.pieces[rpc.first_undone].done)
        ++rpc.first_undone;
    size_t retried = 0;
    for (size_t i = rpc.first_undone; i < rpc.next_piece && rpc.phase != Phase::dying; ++i) {
        Piece& piece = rpc.pieces[i];
        if (piece.done)
            continue;
        auto age = now - piece.sent_at;
        bool overtaken = piece.sent_at < rpc.newest_done_sent && age >= _config.bulk_fast_retry;
        if (age < _config.bulk_retry && !overtaken)
            continue;
        if (piece.linked) {
            if (_endpoint.unlink(piece.md) == lnet::UnlinkStatus::pushback)
                continue;  // next poll
            piece.linked = false;
            --rpc.linked;
        }
        if (!send_piece(rpc, i, tx, now))
            break;
        _stats.bulk_retries.add();
        ++retried;
    }
    return retried;
}

void OstIo::finish_store(Rpc& rpc, lnet::TxSink& tx, Clock::time_point now)
{
    switch (rpc.opc) {
    case Opcode::ost_write:
        for (const Extent& e : rpc.extents)
            if (e.rc == 0) {
                _stats.bytes_written.add(e.bytes);
                report_size(e.object, e.offset + e.length, false);
            }
        break;
    case Opcode::ost_read: {
        uint64_t end = 0;  // what is sent: up to the last byte read (holes as zeros)
        int32_t failure = 0;
        for (const Extent& e : rpc.extents) {
            if (e.rc != 0 && failure == 0)
                failure = e.rc;
            if (e.bytes > 0)
                end = std::max(end, e.at + e.bytes);
        }
        if (failure != 0) {
            rpc.status = failure;
            break;
        }
        rpc.status = static_cast<int32_t>(end);
        for (uint64_t at = 0; at < end; at += _config.max_payload)
            rpc.pieces.push_back({{}, static_cast<uint32_t>(at),
                                  static_cast<uint32_t>(std::min<uint64_t>(_config.max_payload, end - at))});
        _stats.bytes_read.add(end);
        rpc.phase = Phase::sending;
        rpc.deadline = now + _config.bulk_timeout;
        advance(rpc, tx, now);
        return;
    }
    case Opcode::ost_punch:
    case Opcode::ost_setattr:
        if (rpc.extents[0].rc == 0 && rpc.store_ops[0].op == objstore::StoreOp::set_size)
            report_size(rpc.extents[0].object, rpc.attr.size, true);
        break;
    default:
        break;
    }
    reply(rpc, tx);
}

void OstIo::reply(Rpc& rpc, lnet::TxSink& tx)
{
    if (rpc.reply.empty()) {
        ptlrpc::Obdo obdo;
        obdo.valid = ptlrpc::obd_md::id | ptlrpc::obd_md::group;
        obdo.id = rpc.obdo.id;
        obdo.seq = rpc.obdo.seq;
        ptlrpc::ReplyParams params;
        std::vector<std::byte> rcs;
        switch (rpc.opc) {
        case Opcode::ost_write: {
            std::vector<int32_t> codes;
            for (const Extent& e : rpc.extents) {
                codes.push_back(e.rc);
                if (e.rc != 0 && params.status == 0)
                    params.status = e.rc;
            }
            rcs = ptlrpc::encode_write_rcs(codes);
            _stats.writes.add();
            break;
        }
        case Opcode::ost_read:
            params.status = rpc.status;
            _stats.reads.add();
            break;
        default:
            params.status = rpc.extents[0].rc;
            if (params.status == 0 && rpc.opc != Opcode::ost_sync) {
                obdo.valid |= ptlrpc::obd_md::size | ptlrpc::obd_md::blocks | ptlrpc::obd_md::mtime |
                              ptlrpc::obd_md::atime | ptlrpc::obd_md::ctime;
                obdo.size_ = rpc.attr.size;
                obdo.blocks = rpc.attr.blocks;
                obdo.mtime = rpc.attr.mtime;
                obdo.atime = rpc.attr.atime;
                obdo.ctime = rpc.attr.ctime;
            }
            (rpc.opc == Opcode::ost_punch ? _stats.punches : _stats.attrs).add();
            break;
        }
        auto body = ptlrpc::encode_obdo(obdo);
        std::span<const std::byte> body_span(body);
        if (rpc.opc == Opcode::ost_write)
            rpc.reply = ptlrpc::build_reply(rpc.body, rpc.msg_flags, params, {body_span, std::span<const std::byte>(rcs)});
        else if (rpc.opc == Opcode::ost_read)
            rpc.reply = ptlrpc::build_reply(rpc.body, rpc.msg_flags, params, {body_span, std::span<const std::byte>()});
        else
            rpc.reply = ptlrpc::build_reply(rpc.body, rpc.msg_flags, params, {body_span});
        rpc.data = {};  // the data is stored or sent: free it now
        if (rpc.remember)
            if (ExportEntry* client = _exports.find(rpc.export_handle))
                _exports.remember(*client, rpc.xid, rpc.reply);
    }
    rpc.phase = Phase::replying;
    if (!send_reply(rpc.peer, rpc.xid, rpc.msg_flags, rpc.reply, tx)) {
        _stats.tx_pushbacks.add();
        return;  // poll() tries again
    }
    release(rpc.id);
}

bool OstIo::send_reply(lnet::ProcessId peer, uint64_t xid, uint32_t msg_flags, std::span<const std::byte> bytes,
                       lnet::TxSink& tx)
{
    lnet::PutOptions options;
    options.remote_offset = (msg_flags & ptlrpc::msghdr_at_support) ? ptlrpc::at_reply_offset : 0;
    return _endpoint.put_bytes(bytes, peer, ptlrpc::portal::osc_reply, xid, options, tx) == lnet::SendStatus::sent;
}

void OstIo::reply_error(const ptlrpc::PtlrpcBody& body, uint32_t msg_flags, lnet::ProcessId peer, uint64_t xid,
                        int errno_value, lnet::TxSink& tx)
{
    ptlrpc::ReplyParams params;
    params.status = -errno_value;
    params.type = ptlrpc::MsgType::err;
    auto bytes = ptlrpc::build_reply(body, msg_flags, params, std::initializer_list<std::span<const std::byte>>{});
    if (!send_reply(peer, xid, msg_flags, bytes, tx))
        _stats.reply_failures.add();  // the client resends
}

}  // namespace ostd::control::ost
