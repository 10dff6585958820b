#include "control/ost/ost_io.hpp"

#include <algorithm>
#include <cerrno>

#include "control/ost/io_rpc.hpp"
#include "lnet_core/ptlrpc/message.hpp"
#include "lnet_core/ptlrpc/rpc_layout.hpp"

namespace ostd::control::ost {

namespace ptlrpc = lnet::ptlrpc;
using ptlrpc::Opcode;

namespace {

constexpr uint64_t cookie_bits = 20;  // store cookies and bulk user_data: id << 20 | index
constexpr uint64_t id_mask = (uint64_t{1} << 27) - 1;

lnet::RequestBuffersConfig request_buffers(lnet::RequestBuffersConfig buffers, const OstIoConfig& config,
                                           lnet::EventQueue& eq)
{
    buffers.tag = config.tag;
    buffers.eq = &eq;
    return buffers;
}

}  // namespace

OstIo::OstIo(lnet::Endpoint& endpoint, lnet::EventQueue& eq, objstore::StoreChannel& store, const OstIoConfig& config)
    : _endpoint(endpoint), _eq(eq), _store(store), _config(config),
      _buffers(endpoint, request_buffers(config.buffers, config, eq)), _exports(config.resend_keep)
{
}

OstIo::~OstIo() = default;

bool OstIo::start(lnet::TxSink& tx) { return _buffers.start(tx).ok(); }

void OstIo::on_event(const lnet::Event& event, lnet::TxSink& tx, Clock::time_point now)
{
    if (!_buffers.owns(event)) {
        on_bulk_event(event, tx, now);
        return;
    }
    auto request = _buffers.on_event(event, tx);
    if (!request)
        return;
    if (!_waiting.empty() || _rpcs.size() >= _config.max_rpcs) {
        _waiting.push_back(*request);  // its buffer stays held: the portal feels the pressure
        return;
    }
    on_request(*request, tx, now);
}

void OstIo::on_request(const lnet::Request& request, lnet::TxSink& tx, Clock::time_point now)
{
    serve(request.bytes, request.peer, request.match_bits, false, tx, now);
    _buffers.release(request.buffer, tx);  // everything needed was copied
}

void OstIo::serve_forwarded(std::span<const std::byte> request, lnet::ProcessId peer, uint64_t xid,
                            lnet::TxSink& tx, Clock::time_point now)
{
    serve(request, peer, xid, true, tx, now);
}

void OstIo::serve(std::span<const std::byte> bytes, lnet::ProcessId peer, uint64_t xid, bool forwarded,
                  lnet::TxSink& tx, Clock::time_point now)
{
    auto message = ptlrpc::decode_message(bytes);
    if (!message) {
        _stats.malformed.count(message.error());
        return;  // nothing to address an answer with: the client resends
    }
    uint32_t msg_flags = message->header.flags;
    auto body = ptlrpc::check_request(*message);
    if (!body) {
        _stats.malformed.count(body.error());
        if (auto bare = ptlrpc::decode_ptlrpc_body(message->buffer(0)))
            reply_error(*bare, msg_flags, peer, xid, EPROTO, tx);
        return;
    }
    if (!forwarded) {
        ExportEntry* client = _exports.find(body->handle);
        if (!client) {
            _stats.not_connected.add();
            reply_error(*body, msg_flags, peer, xid, ENOTCONN, tx);
            return;
        }
        if (body->flags & ptlrpc::msg_resent) {
            if (const CompletedRpc* done = ExportView::completed(*client, xid)) {
                _stats.resent_replayed.add();
                if (!send_reply(peer, xid, msg_flags, done->reply, tx))
                    _stats.reply_failures.add();
                return;
            }
            for (const auto& [id, rpc] : _rpcs)
                if (rpc->xid == xid && rpc->export_handle == body->handle && rpc->phase != Phase::dying) {
                    _stats.resent_in_progress.add();  // the first one answers
                    return;
                }
        }
    }
    auto opc = static_cast<Opcode>(body->opc);
    auto obdo = ptlrpc::decode_obdo(message->buffer(1));
    bool known = opc == Opcode::ost_write || opc == Opcode::ost_read || opc == Opcode::ost_punch ||
                 opc == Opcode::ost_getattr || opc == Opcode::ost_setattr || opc == Opcode::ost_sync;
    if (!known || !obdo) {
        _stats.unsupported.add();  // OST_LADVISE comes with lockahead (#6)
        reply_error(*body, msg_flags, peer, xid, known ? EPROTO : EOPNOTSUPP, tx);
        return;
    }
    Rpc& rpc = admit(*body, msg_flags, peer, xid, body->handle, now);
    rpc.obdo = *obdo;
    bool brw = opc == Opcode::ost_write || opc == Opcode::ost_read;
    bool ok = brw ? start_brw(rpc, message->buffer(2), message->buffer(3)) : start_attr(rpc, *obdo);
    if (!ok) {
        reply_error(*body, msg_flags, peer, xid, rpc.status ? -rpc.status : EINVAL, tx);
        _rpcs.erase(rpc.id);
        return;
    }
    advance(rpc, tx, now);
}

OstIo::Rpc& OstIo::admit(const ptlrpc::PtlrpcBody& body, uint32_t msg_flags, lnet::ProcessId peer, uint64_t xid,
                         uint64_t export_handle, Clock::time_point now)
{
    while (_next_id == 0 || _rpcs.count(_next_id))
        _next_id = (_next_id + 1) & id_mask;
    auto rpc = std::make_unique<Rpc>();
    rpc->id = _next_id;
    _next_id = (_next_id + 1) & id_mask;
    rpc->opc = static_cast<Opcode>(body.opc);
    rpc->body = body;
    rpc->msg_flags = msg_flags;
    rpc->peer = peer;
    rpc->xid = xid;
    rpc->mbits = body.mbits ? body.mbits : xid;
    rpc->export_handle = export_handle;
    rpc->deadline = now + _config.bulk_timeout;
    Rpc& ref = *rpc;
    _rpcs.emplace(ref.id, std::move(rpc));
    return ref;
}

bool OstIo::start_brw(Rpc& rpc, std::span<const std::byte> ioobj_bytes, std::span<const std::byte> niobuf_bytes)
{
    auto ioobjs = ptlrpc::decode_ioobjs(ioobj_bytes);
    auto niobufs = ptlrpc::decode_niobufs(niobuf_bytes);
    if (!ioobjs || !niobufs || niobufs->size() >= (size_t{1} << cookie_bits)) {
        rpc.status = -EPROTO;
        return false;
    }
    uint64_t total = 0;
    size_t n = 0;
    for (const ptlrpc::ObdIoobj& ioobj : *ioobjs)
        for (uint32_t k = 0; k < ioobj.bufcnt && n < niobufs->size(); ++k, ++n) {
            const ptlrpc::NiobufRemote& nb = (*niobufs)[n];
            if (nb.offset > objstore::max_object_size - nb.len) {
                rpc.status = -EFBIG;
                return false;
            }
            rpc.extents.push_back({ioobj.id, nb.offset, nb.len, total});
            total += nb.len;
        }
    if (total > _config.max_rpc_bytes) {
        rpc.status = -EINVAL;
        return false;
    }
    rpc.data.assign(total, std::byte{0});
    bool write = rpc.opc == Opcode::ost_write;
    for (size_t i = 0; i < rpc.extents.size(); ++i) {
        const Extent& e = rpc.extents[i];
        uint64_t cookie = (rpc.id << cookie_bits) | i;
        std::span<std::byte> slice(rpc.data.data() + e.at, e.length);
        rpc.store_ops.push_back(write ? objstore::StoreRequest::write(e.object, e.offset, slice, cookie)
                                      : objstore::StoreRequest::read(e.object, e.offset, slice, cookie));
    }
    if (write) {
        for (uint64_t at = 0; at < total; at += _config.max_payload)
            rpc.pieces.push_back({{}, static_cast<uint32_t>(at),
                                  static_cast<uint32_t>(std::min<uint64_t>(_config.max_payload, total - at))});
        rpc.phase = Phase::fetching;
        rpc.remember = true;
    } else {
        rpc.phase = Phase::storing;
    }
    return true;
}

// OST_PUNCH carries [start, end) in o_size and o_blocks (Lustre's ofd_punch_hdl,
// which needs both valid and only truncates: end = OBD_OBJECT_EOF). end = EOF is a
// truncate to start; any other end punches a hole and keeps the size (ostd's
// extension, where Lustre answers -EPROTO).
bool OstIo::start_attr(Rpc& rpc, const ptlrpc::Obdo& obdo)
{
    uint64_t cookie = rpc.id << cookie_bits;
    rpc.extents.push_back({obdo.id, 0, 0, 0});
    switch (rpc.opc) {
    case Opcode::ost_punch: {
        constexpr uint64_t both = ptlrpc::obd_md::size | ptlrpc::obd_md::blocks;
        if ((obdo.valid & both) != both || obdo.blocks < obdo.size_) {
            rpc.status = -EPROTO;
            return false;
        }
        rpc.store_ops.push_back(obdo.blocks == objstore::object_eof
                                    ? objstore::StoreRequest::set_size(obdo.id, obdo.size_, cookie)
                                    : objstore::StoreRequest::punch(obdo.id, obdo.size_, obdo.blocks, cookie));
        rpc.remember = true;
        break;
    }
    case Opcode::ost_setattr:
        rpc.store_ops.push_back(obdo.valid & ptlrpc::obd_md::size
                                    ? objstore::StoreRequest::set_size(obdo.id, obdo.size_, cookie)
                                    : objstore::StoreRequest::getattr(obdo.id, cookie));
        break;
    case Opcode::ost_sync:
        rpc.store_ops.push_back(objstore::StoreRequest::sync(obdo.id, cookie));
        break;
    default:
        rpc.store_ops.push_back(objstore::StoreRequest::getattr(obdo.id, cookie));
        break;
    }
    rpc.phase = Phase::storing;
    return true;
}

size_t OstIo::submit_store(Rpc& rpc)
{
    size_t submitted = 0;
    while (rpc.store_next < rpc.store_ops.size()) {
        if (!_store.submit(rpc.store_ops[rpc.store_next])) {
            _stats.store_pushbacks.add();
            break;  // poll() tries again
        }
        ++rpc.store_next;
        ++rpc.store_pending;
        ++submitted;
    }
    return submitted;
}

size_t OstIo::poll(lnet::TxSink& tx, Clock::time_point now)
{
    size_t work = 0;
    objstore::StoreCompletion completions[32];
    while (size_t n = _store.poll_completions(completions)) {
        for (size_t i = 0; i < n; ++i)
            on_store(completions[i], tx, now);
        work += n;
    }
    // Retries and timeouts. Few RPCs are in progress at once (max_rpcs).
    std::vector<uint64_t> ids;
    ids.reserve(_rpcs.size());
    for (const auto& [id, rpc] : _rpcs)
        ids.push_back(id);
    for (uint64_t id : ids) {
        auto it = _rpcs.find(id);
        if (it == _rpcs.end())
            continue;
        if (!expire(*it->second, tx, now))
            work += retry_pieces(*it->second, tx, now) + advance(*it->second, tx, now);
    }
    while (!_waiting.empty() && _rpcs.size() < _config.max_rpcs) {
        lnet::Request request = _waiting.front();
        _waiting.pop_front();
        on_request(request, tx, now);
        ++work;
    }
    return work;
}

void OstIo::on_store(const objstore::StoreCompletion& completion, lnet::TxSink& tx, Clock::time_point now)
{
    auto it = _rpcs.find(completion.cookie >> cookie_bits);
    if (it == _rpcs.end())
        return;  // cannot happen: an RPC with storage in flight is never freed
    Rpc& rpc = *it->second;
    size_t index = completion.cookie & ((uint64_t{1} << cookie_bits) - 1);
    --rpc.store_pending;
    Extent& extent = rpc.extents.at(index);
    // Reading an object never written reads nothing (Lustre's objects exist once created).
    bool absent = completion.status == -ENOENT && completion.op == objstore::StoreOp::read;
    extent.rc = absent ? 0 : completion.status;
    extent.bytes = completion.bytes;
    if (completion.status == 0)
        rpc.attr = completion.attr;
    if (rpc.phase == Phase::dying) {
        advance(rpc, tx, now);
        return;
    }
    if (rpc.store_pending == 0 && rpc.store_next == rpc.store_ops.size())
        finish_store(rpc, tx, now);
}

void OstIo::report_size(uint64_t object, uint64_t size, bool exact)
{
    auto [known, fresh] = _known_size.try_emplace(object, size);
    if (!exact && !fresh && size <= known->second)
        return;  // this worker already told the lock service as much
    known->second = size;
    if (_size_hook)
        _size_hook({object, size, exact});
}

bool OstIo::expire(Rpc& rpc, lnet::TxSink& tx, Clock::time_point now)
{
    bool in_bulk = rpc.phase == Phase::fetching || rpc.phase == Phase::sending;
    if (!in_bulk || now < rpc.deadline)
        return false;
    _stats.timeouts.add();
    rpc.phase = Phase::dying;  // no reply: a client still there resends
    advance(rpc, tx, now);
    return true;
}

size_t OstIo::abandon(uint64_t export_handle, lnet::TxSink& tx, Clock::time_point now)
{
    std::vector<uint64_t> ids;
    for (const auto& [id, rpc] : _rpcs)
        if (rpc->export_handle == export_handle && (rpc->phase == Phase::fetching || rpc->phase == Phase::sending))
            ids.push_back(id);
    for (uint64_t id : ids) {
        Rpc& rpc = *_rpcs.at(id);
        _stats.abandoned.add();
        rpc.phase = Phase::dying;
        advance(rpc, tx, now);  // may free it
    }
    return ids.size();
}

size_t OstIo::bulk_mds() const
{
    size_t linked = 0;
    for (const auto& [id, rpc] : _rpcs)
        linked += rpc->linked;
    return linked;
}

void OstIo::release(uint64_t id) { _rpcs.erase(id); }

}  // namespace ostd::control::ost
