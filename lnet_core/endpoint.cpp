#include "lnet_core/endpoint.hpp"

#include <algorithm>
#include <cstring>

namespace ostd::lnet {

Endpoint::Endpoint(const EndpointConfig& config)
    : _config(config), _table(config.core, config.unique_capacity)
{
}

ReceiveResult Endpoint::drop(DropReason reason)
{
    _counters.drops.count(reason);
    return {ReceiveStatus::dropped, reason};
}

ReceiveResult Endpoint::pushback()
{
    _counters.pushbacks.add();
    return {ReceiveStatus::pushback};
}

bool Endpoint::eq_full(uint32_t slot)
{
    EventQueue* eq = _table.mds().memory(slot).eq;
    if (!eq || eq->has_room())
        return false;
    eq->note_pushback();
    return true;
}

namespace {

// Writes the next event of eq in place (fill), consumes the MD's operation
// (consume, true when that unlinked the MD), then publishes the event. Room
// was checked before the operation began, and this core is the EQ's only
// producer, so the claim succeeds.
template <typename Fill, typename Consume>
void post_in_place(EventQueue* eq, Fill&& fill, Consume&& consume)
{
    Event* event = eq ? eq->claim() : nullptr;
    if (event)
        fill(*event);
    bool unlinked = consume();
    if (event) {
        event->unlinked = unlinked;
        eq->publish();
    }
}

// The match request a PUT or GET header makes; false for other messages.
bool request_of(const LnetHeader& header, MatchRequest& request)
{
    if (const auto* put = std::get_if<PutFields>(&header.fields)) {
        request = {MsgType::put, header.source(), put->ptl_index, put->match_bits, header.payload_length, put->offset};
        return true;
    }
    if (const auto* get = std::get_if<GetFields>(&header.fields)) {
        request = {MsgType::get, header.source(), get->ptl_index, get->match_bits, get->sink_length, get->src_offset};
        return true;
    }
    return false;
}

}  // namespace

ReceiveResult Endpoint::receive(std::span<const std::byte> datagram, TxSink& tx)
{
    auto frame = decode_frame(datagram, _config.max_payload);
    if (!frame)
        return drop(frame.error());
    if (!frame->header) {
        _counters.noops.add();
        return {ReceiveStatus::delivered};
    }
    return handle(*frame->header, frame->payload, tx);
}

ReceiveResult Endpoint::handle(const LnetHeader& header, std::span<const std::byte> payload, TxSink& tx)
{
    MatchPlan unplanned;
    request_of(header, unplanned.request);
    return handle(header, payload, tx, unplanned);
}

// Flattened: the steps of a received message are separate functions for
// reading, but one body for the compiler (~9 % fewer instructions per PUT);
// what is slow anyway (parking a PUT, counting a drop) stays out of line.
[[gnu::flatten]] ReceiveResult Endpoint::handle(const LnetHeader& header, std::span<const std::byte> payload,
                                                TxSink& tx, const MatchPlan& plan)
{
    _counters.received_of(header.type()).add();
    if (header.dest_nid != _config.self.nid || header.dest_pid != _config.self.pid)
        return drop(DropReason::wrong_destination);
    switch (header.type()) {
    case MsgType::put: return on_put(header, payload, tx, plan);
    case MsgType::get: return on_get(header, tx, plan);
    case MsgType::ack: return on_ack(header);
    case MsgType::reply: return on_reply(header, payload);
    case MsgType::hello: break;
    }
    return drop(DropReason::unexpected_hello);
}

void Endpoint::plan(const LnetHeader& header, MatchPlan& plan) const
{
    if (request_of(header, plan.request))
        _table.plan(plan);
    else
        plan.unique = plan.located = false;  // an ACK or REPLY: nothing to match
}

void Endpoint::fill_event(Event& event, EventType type, uint32_t slot, const LnetHeader& header) const
{
    // Every field: the event is written where an earlier one was read.
    const MdMemory& mem = _table.mds().memory(slot);
    event.type = type;
    event.unlinked = false;
    event.status = 0;
    event.portal = 0;
    event.initiator = header.source();
    event.target = header.destination();
    event.match_bits = 0;
    event.rlength = event.mlength = event.offset = 0;
    event.md = _table.mds().handle(slot);
    event.hdr_data = 0;
    event.user_data = mem.user_data;
    event.data = nullptr;
}

LnetHeader Endpoint::header_to(ProcessId target, uint32_t payload_length) const
{
    LnetHeader header;
    header.dest_nid = target.nid;
    header.dest_pid = target.pid;
    header.src_nid = _config.self.nid;
    header.src_pid = _config.self.pid;
    header.payload_length = payload_length;
    return header;
}

ReceiveResult Endpoint::on_put(const LnetHeader& header, std::span<const std::byte> payload, TxSink& tx,
                               const MatchPlan& plan)
{
    const auto& put = std::get<PutFields>(header.fields);
    const MatchRequest& request = plan.request;
    MatchOutcome match = _table.match(plan);
    if (match.result == MatchResult::drop)
        return drop(DropReason::too_long);
    if (match.result == MatchResult::ok)
        return deliver_put(header, payload, request, match, tx);
    if (!_table.lazy(put.ptl_index))
        return drop(DropReason::no_match);
    return park(header, payload);
}

ReceiveResult Endpoint::park(const LnetHeader& header, std::span<const std::byte> payload)
{
    auto& parked = _delayed[std::get<PutFields>(header.fields).ptl_index];
    if (parked.size() >= _config.delayed_limit)
        return drop(DropReason::delayed_overflow);
    parked.push_back({header, std::vector<std::byte>(payload.begin(), payload.end())});
    _counters.delayed.add();
    return {ReceiveStatus::delayed};
}

ReceiveResult Endpoint::deliver_put(const LnetHeader& header, std::span<const std::byte> payload,
                                    const MatchRequest& request, const MatchOutcome& match, TxSink& tx)
{
    const auto& put = std::get<PutFields>(header.fields);
    Md& md = _table.mds().at(match.slot);
    const MdMemory& mem = _table.mds().memory(match.slot);
    if (eq_full(match.slot))
        return pushback();
    // The ACK goes first: if it cannot be queued nothing has been consumed.
    if (!put.ack_wmd.is_none() && !(md.options & md_option::ack_disable)) {
        LnetHeader ack = header_to(header.source(), 0);
        ack.fields = AckFields{put.ack_wmd, put.match_bits, match.mlength};
        if (!tx.transmit(ack, {}))
            return pushback();
        _counters.sent_of(MsgType::ack).add();
    }
    std::memcpy(mem.start + match.offset, payload.data(), match.mlength);
    _counters.delivered_bytes.add(match.mlength);
    return complete_match(EventType::put, header, request, match, put.hdr_data);
}

ReceiveResult Endpoint::complete_match(EventType type, const LnetHeader& header, const MatchRequest& request,
                                       const MatchOutcome& match, uint64_t hdr_data)
{
    const MdMemory& mem = _table.mds().memory(match.slot);
    post_in_place(
        mem.eq,
        [&](Event& event) {
            fill_event(event, type, match.slot, header);
            event.portal = request.portal;
            event.match_bits = request.match_bits;
            event.rlength = request.rlength;
            event.mlength = match.mlength;
            event.offset = match.offset;
            event.hdr_data = hdr_data;
            event.data = mem.start + match.offset;
        },
        [&] { return _table.commit(match); });
    _counters.matched.add();
    return {ReceiveStatus::delivered};
}

ReceiveResult Endpoint::on_get(const LnetHeader& header, TxSink& tx, const MatchPlan& plan)
{
    const auto& get = std::get<GetFields>(header.fields);
    if (get.sink_length > _config.max_payload)
        return drop(DropReason::payload_too_long);  // one REPLY could not carry it
    const MatchRequest& request = plan.request;
    MatchOutcome match = _table.match(plan);
    if (match.result == MatchResult::none)
        return drop(DropReason::no_match);
    if (match.result == MatchResult::drop)
        return drop(DropReason::too_long);
    const MdMemory& mem = _table.mds().memory(match.slot);
    if (eq_full(match.slot))
        return pushback();
    LnetHeader reply = header_to(header.source(), match.mlength);
    reply.fields = ReplyFields{get.return_wmd};
    if (!tx.transmit(reply, {mem.start + match.offset, match.mlength}))
        return pushback();
    _counters.sent_of(MsgType::reply).add();
    return complete_match(EventType::get, header, request, match, 0);
}

uint32_t Endpoint::our_md(const WireHandle& handle) const
{
    if (handle.interface_cookie != _config.interface_cookie)
        return no_md;  // addressed to an earlier incarnation of this node
    return _table.mds().slot_of(MdHandle{handle.object_cookie});
}

ReceiveResult Endpoint::on_ack(const LnetHeader& header)
{
    const auto& ack = std::get<AckFields>(header.fields);
    uint32_t slot = our_md(ack.dst_wmd);
    if (slot == no_md)
        return drop(DropReason::stale_handle);
    const MdMemory& mem = _table.mds().memory(slot);
    if (eq_full(slot))
        return pushback();
    post_in_place(
        mem.eq,
        [&](Event& event) {
            fill_event(event, EventType::ack, slot, header);
            event.match_bits = ack.match_bits;
            event.rlength = event.mlength = ack.mlength;
        },
        [&] { return _table.consume(slot); });
    return {ReceiveStatus::delivered};
}

ReceiveResult Endpoint::on_reply(const LnetHeader& header, std::span<const std::byte> payload)
{
    const auto& reply = std::get<ReplyFields>(header.fields);
    uint32_t slot = our_md(reply.dst_wmd);
    if (slot == no_md)
        return drop(DropReason::stale_handle);
    Md& md = _table.mds().at(slot);
    const MdMemory& mem = _table.mds().memory(slot);
    uint32_t mlength = std::min(header.payload_length, md.length);
    if (mlength < header.payload_length && !(md.options & md_option::truncate))
        return drop(DropReason::too_long);
    if (eq_full(slot))
        return pushback();
    std::memcpy(mem.start, payload.data(), mlength);
    post_in_place(
        mem.eq,
        [&](Event& event) {
            fill_event(event, EventType::reply, slot, header);
            event.rlength = header.payload_length;
            event.mlength = mlength;
            event.data = mem.start;
        },
        [&] { return _table.consume(slot); });
    _counters.delivered_bytes.add(mlength);
    return {ReceiveStatus::delivered};
}

Result<MdHandle, AttachError> Endpoint::attach(const MatchSpec& me, const MdSpec& md, Position position,
                                               TxSink& tx)
{
    auto handle = _table.attach(me, md, position);
    if (handle && _table.lazy(me.portal))
        redeliver(me.portal, tx);
    return handle;
}

Result<MdHandle, AttachError> Endpoint::bind(const MdSpec& md)
{
    return _table.bind(md);
}

UnlinkStatus Endpoint::unlink(MdHandle handle)
{
    uint32_t slot = _table.mds().slot_of(handle);
    if (slot == no_md)
        return UnlinkStatus::stale;
    Md& md = _table.mds().at(slot);
    const MdMemory& mem = _table.mds().memory(slot);
    if (eq_full(slot))
        return UnlinkStatus::pushback;
    Event event;
    event.type = EventType::unlink;
    event.unlinked = true;
    event.portal = md.portal;
    event.md = handle;
    event.user_data = mem.user_data;
    event.initiator = event.target = _config.self;
    EventQueue* eq = mem.eq;
    _table.unlink_slot(slot);
    if (eq)
        eq->try_post(event);
    return UnlinkStatus::unlinked;
}

bool Endpoint::set_lazy(uint32_t portal, bool lazy)
{
    if (!_table.set_lazy(portal, lazy))
        return false;
    if (!lazy) {
        for (size_t i = 0; i < _delayed[portal].size(); ++i)
            _counters.drops.count(DropReason::lazy_cleared);
        _delayed[portal].clear();
    }
    return true;
}

size_t Endpoint::redeliver(uint32_t portal, TxSink& tx)
{
    size_t delivered = 0;
    auto& parked = _delayed[portal];
    for (auto it = parked.begin(); it != parked.end();) {
        const auto& put = std::get<PutFields>(it->header.fields);
        MatchRequest request{MsgType::put, it->header.source(), portal, put.match_bits,
                             it->header.payload_length, put.offset};
        MatchOutcome match = _table.match(request);
        if (match.result == MatchResult::none) {
            ++it;
            continue;
        }
        if (match.result == MatchResult::drop) {
            _counters.drops.count(DropReason::too_long);
            it = parked.erase(it);
            continue;
        }
        if (deliver_put(it->header, it->payload, request, match, tx).status == ReceiveStatus::pushback)
            break;  // stays parked, in order, for retry_delayed()
        ++delivered;
        it = parked.erase(it);
    }
    return delivered;
}

size_t Endpoint::retry_delayed(TxSink& tx)
{
    size_t delivered = 0;
    for (uint32_t portal = 0; portal < portal_count; ++portal)
        if (!_delayed[portal].empty())
            delivered += redeliver(portal, tx);
    return delivered;
}

SendStatus Endpoint::put(MdHandle handle, ProcessId target, uint32_t portal, uint64_t match_bits,
                         const PutOptions& options, TxSink& tx)
{
    uint32_t slot = _table.mds().slot_of(handle);
    if (slot == no_md)
        return SendStatus::bad_handle;
    Md& md = _table.mds().at(slot);
    const MdMemory& mem = _table.mds().memory(slot);
    if (options.local_offset > md.length)
        return SendStatus::too_long;
    uint32_t length = std::min(options.length, md.length - options.local_offset);
    if (length > _config.max_payload || portal >= portal_count)
        return SendStatus::too_long;
    if (eq_full(slot))
        return SendStatus::pushback;
    LnetHeader header = header_to(target, length);
    WireHandle ack_wmd = options.ack ? WireHandle{_config.interface_cookie, handle.cookie} : WireHandle::none();
    header.fields = PutFields{ack_wmd, match_bits, options.hdr_data, portal, options.remote_offset};
    if (!tx.transmit(header, {mem.start + options.local_offset, length})) {
        _counters.tx_failures.add();
        return SendStatus::pushback;
    }
    _counters.sent_of(MsgType::put).add();

    Event event;
    event.target = target;
    event.portal = portal;
    event.match_bits = match_bits;
    event.rlength = event.mlength = length;
    event.offset = options.local_offset;
    event.hdr_data = options.hdr_data;
    event.data = mem.start + options.local_offset;
    complete_send(slot, handle, event);
    return SendStatus::sent;
}

SendStatus Endpoint::put_bytes(std::span<const std::byte> bytes, ProcessId target, uint32_t portal,
                               uint64_t match_bits, const PutOptions& options, TxSink& tx)
{
    // The memory is only read, while put() copies it into the frame.
    MdSpec md{std::span(const_cast<std::byte*>(bytes.data()), bytes.size()), 0, 1, 0, true, nullptr, 0};
    auto handle = bind(md);
    if (!handle)
        return SendStatus::too_long;  // the only refusal of such an MD: beyond 4 GiB
    SendStatus status = put(*handle, target, portal, match_bits, options, tx);
    if (status != SendStatus::sent)
        unlink(*handle);
    return status;
}

void Endpoint::complete_send(uint32_t slot, MdHandle handle, const Event& sent)
{
    const MdMemory& mem = _table.mds().memory(slot);
    post_in_place(
        mem.eq,
        [&](Event& event) {
            event = sent;
            event.type = EventType::send;
            event.initiator = _config.self;
            event.md = handle;
            event.user_data = mem.user_data;
        },
        [&] { return _table.consume(slot); });
}

SendStatus Endpoint::get(MdHandle handle, ProcessId target, uint32_t portal, uint64_t match_bits,
                         uint32_t remote_offset, TxSink& tx)
{
    uint32_t slot = _table.mds().slot_of(handle);
    if (slot == no_md)
        return SendStatus::bad_handle;
    Md& md = _table.mds().at(slot);
    if (md.length > _config.max_payload || portal >= portal_count)
        return SendStatus::too_long;
    if (eq_full(slot))
        return SendStatus::pushback;
    LnetHeader header = header_to(target, 0);
    header.fields = GetFields{WireHandle{_config.interface_cookie, handle.cookie}, match_bits, portal,
                              remote_offset, md.length};
    if (!tx.transmit(header, {})) {
        _counters.tx_failures.add();
        return SendStatus::pushback;
    }
    _counters.sent_of(MsgType::get).add();

    Event event;
    event.target = target;
    event.portal = portal;
    event.match_bits = match_bits;
    event.rlength = md.length;
    complete_send(slot, handle, event);
    return SendStatus::sent;
}

}  // namespace ostd::lnet
