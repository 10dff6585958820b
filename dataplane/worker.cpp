#include "dataplane/worker.hpp"

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_pause.h>

#include <stdexcept>
#include <string>

#include "lnet_core/frame.hpp"

namespace ostd::dataplane {
namespace {

rte_ring* make_ring(const std::string& name, unsigned size, unsigned flags)
{
    rte_ring* ring = rte_ring_create(name.c_str(), rte_align32pow2(size), SOCKET_ID_ANY, flags);
    if (!ring)
        throw std::runtime_error("cannot create ring " + name + ": " + rte_strerror(rte_errno));
    return ring;
}

lnet::EndpointConfig endpoint_config(const WorkerSetup& setup)
{
    const LnetConfig& lnet = setup.config->lnet;
    lnet::EndpointConfig config;
    config.self = {lnet::Nid::tcp(setup.local.ip, setup.config->network.net_number), lnet::lustre_pid};
    config.interface_cookie = rte_rdtsc() | 1;  // a new incarnation on every start
    config.core = static_cast<uint8_t>(setup.index);
    config.max_payload = lnet.max_payload;
    config.delayed_limit = lnet.delayed_limit;
    config.unique_capacity = lnet.unique_capacity;
    return config;
}

// The worker whose MD an ACK or REPLY names; others go to their destination's
// receiver (this worker).
unsigned owner_of(const lnet::LnetHeader& header, unsigned self)
{
    if (const auto* ack = std::get_if<lnet::AckFields>(&header.fields))
        return lnet::owner_core_of(ack->dst_wmd.object_cookie);
    if (const auto* reply = std::get_if<lnet::ReplyFields>(&header.fields))
        return lnet::owner_core_of(reply->dst_wmd.object_cookie);
    return self;
}

}  // namespace

Worker::Worker(const WorkerSetup& setup)
    : _setup(setup),
      _local(setup.local),
      _queue(static_cast<uint16_t>(setup.index)),
      _eq(setup.config->lnet.eq_size),
      _endpoint(endpoint_config(setup)),
      _tx(setup.port, _queue, setup.pool, _local, _peers, _stats, setup.config->burst)
{
    std::string suffix = std::to_string(setup.port) + "_" + std::to_string(setup.index);
    _inbox = make_ring("ostd_inbox_" + suffix, setup.config->lnet.handoff_ring_size, RING_F_SC_DEQ);
    _commands = make_ring("ostd_cmd_" + suffix, 256, RING_F_SC_DEQ);
    _to_control = make_ring("ostd_ctl_" + suffix, setup.config->lnet.handoff_ring_size, RING_F_SP_ENQ | RING_F_SC_DEQ);
    _pending.reserve(setup.config->burst * 2u);
}

Worker::~Worker()
{
    rte_mbuf* m;
    while (rte_ring_dequeue(_inbox, reinterpret_cast<void**>(&m)) == 0)
        rte_pktmbuf_free(m);
    void* box;
    while (rte_ring_dequeue(_commands, &box) == 0)
        delete static_cast<WorkerCommandPtr*>(box);
    rte_pktmbuf_free_bulk(_pending.data(), static_cast<unsigned>(_pending.size()));
    rte_ring_free(_inbox);
    rte_ring_free(_commands);
    rte_ring_free(_to_control);  // the control core drained it before the workers stopped
}

bool Worker::submit(const WorkerCommandPtr& command)
{
    auto* box = new WorkerCommandPtr(command);
    if (rte_ring_enqueue(_commands, box) == 0)
        return true;
    delete box;
    return false;
}

void Worker::drain_commands()
{
    void* boxes[16];
    unsigned n = rte_ring_dequeue_burst(_commands, boxes, 16, nullptr);
    for (unsigned i = 0; i < n; ++i) {
        auto* box = static_cast<WorkerCommandPtr*>(boxes[i]);
        (*box)->run(*this);
        delete box;
        _stats.commands.add();
    }
}

void Worker::run(const RunFlags& flags)
{
    while (!flags.stop.load(std::memory_order_relaxed)) {
        bool busy = false;
        poll_once(flags, busy);
        if (busy)
            _idle_polls = 0;
        else
            idle(flags);
    }
    _tx.flush();
}

void Worker::poll_once(const RunFlags& flags, bool& busy)
{
    drain_commands();
    if (!flags.forwarding.load(std::memory_order_relaxed))
        return;

    // What was pushed back goes first; while some remains, take nothing new:
    // the RX ring fills and the sender sees the pressure. A retry that moves
    // nothing counts as idle, so adaptive polling backs off meanwhile.
    if (!_pending.empty()) {
        // What was pushed back mostly waits for room in our own EQ, which only
        // this loop drains: drain it (and let the services move) first, or a
        // full EQ holds the worker here for ever.
        size_t freed = drain_events() + poll_services();
        size_t before = _pending.size();
        retry_pending();
        busy = freed > 0 || _pending.size() < before;
        if (!_pending.empty()) {
            _tx.flush();
            return;
        }
    }

    rte_mbuf* burst[max_burst];
    unsigned burst_size = std::min<unsigned>(_setup.config->burst, max_burst);
    unsigned handed = rte_ring_dequeue_burst(_inbox, reinterpret_cast<void**>(burst), burst_size, nullptr);
    _stats.handoffs_in.add(handed);
    process_burst(burst, handed, true);

    uint16_t received = rte_eth_rx_burst(_setup.port, _queue, burst, static_cast<uint16_t>(burst_size));
    _stats.rx_packets.add(received);
    for (uint16_t i = 0; i < received; ++i)
        _stats.rx_bytes.add(rte_pktmbuf_pkt_len(burst[i]));
    process_burst(burst, received, false);
    size_t events = drain_events();
    size_t work = poll_services();
    _tx.flush();
    busy = busy || handed > 0 || received > 0 || events > 0 || work > 0;
}

size_t Worker::poll_services()
{
    size_t work = 0;
    for (auto& [id, service] : _services)
        work += service->poll(*this);
    return work;
}

size_t Worker::drain_events()
{
    // Bounded: a handler that makes events cannot keep the worker from RX.
    constexpr size_t most = 4 * max_burst;
    size_t total = 0;
    while (total < most) {
        // Read where they lie; each slot is freed once its handler returned,
        // so what a handler posts never lands on the event it is reading.
        std::span<const lnet::Event> ready = _eq.peek(most - total);
        if (ready.empty())
            break;
        for (const lnet::Event& event : ready) {
            _stats.events[static_cast<size_t>(event.type)].add();
            ServiceId service = service_of(event.user_data);
            auto handler = service == 0 ? _services.end() : _services.find(service);
            if (handler != _services.end())
                handler->second->on_event(event, *this);
            else if (service != 0)
                _stats.unclaimed_events.add();
            _eq.release(1);
        }
        total += ready.size();
    }
    return total;
}

void Worker::retry_pending()
{
    std::vector<rte_mbuf*> again;
    again.swap(_pending);
    for (size_t start = 0; start < again.size(); start += max_burst) {
        auto n = static_cast<unsigned>(std::min<size_t>(max_burst, again.size() - start));
        process_burst(again.data() + start, n, false);
    }
}

void Worker::process_burst(rte_mbuf** mbufs, unsigned count, bool handed_over)
{
    if (count == 0)
        return;
    // Pass 1: settle what is not LNET (and what is refused); keep the rest.
    lnet::LnetHeader* headers = _burst_headers;
    lnet::MatchPlan* plans = _burst_plans;
    LnetMessage* messages = _burst_messages;
    unsigned lnet_count = 0;
    for (unsigned i = 0; i < count; ++i) {
        if (i + 1 < count)
            rte_prefetch0(rte_pktmbuf_mtod(mbufs[i + 1], void*));
        if (!_pending.empty()) {  // keep order behind a packet held back earlier
            _pending.push_back(mbufs[i]);
            continue;
        }
        if (classify(mbufs[i], handed_over, headers[lnet_count], messages[lnet_count])) {
            _endpoint.plan(headers[lnet_count], plans[lnet_count]);  // its hash slot arrives while the rest is parsed
            ++lnet_count;
        }
    }
    // Pass 2: find the MDs the burst will match (fetching them), then deliver in arrival order.
    for (unsigned k = 0; k < lnet_count; ++k)
        _endpoint.locate(plans[k]);
    rte_mbuf* delivered[max_burst];  // freed together: one mempool call per burst
    unsigned delivered_count = 0;
    for (unsigned k = 0; k < lnet_count; ++k) {
        if (!_pending.empty()) {
            _pending.push_back(messages[k].mbuf);
            continue;
        }
        lnet::ReceiveResult result = _endpoint.handle(headers[k], messages[k].payload, _tx, plans[k]);
        if (result.status == lnet::ReceiveStatus::pushback) {
            _stats.pushbacks.add();
            _pending.push_back(messages[k].mbuf);
            continue;
        }
        _stats.lnet_messages.add();
        delivered[delivered_count++] = messages[k].mbuf;
    }
    rte_pktmbuf_free_bulk(delivered, delivered_count);
}

bool Worker::classify(rte_mbuf* m, bool handed_over, lnet::LnetHeader& header, LnetMessage& message)
{
    if (m->nb_segs != 1) {
        _stats.drops.count(NetDrop::oversize);  // jumbo chains are not LNET datagrams we accept
        rte_pktmbuf_free(m);
        return false;
    }
    std::span<std::byte> frame(rte_pktmbuf_mtod(m, std::byte*), rte_pktmbuf_data_len(m));
    ChecksumHints hints{(m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) == RTE_MBUF_F_RX_IP_CKSUM_GOOD,
                        (m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) == RTE_MBUF_F_RX_L4_CKSUM_GOOD};
    ParsedPacket packet = parse_packet(frame, _local, hints);
    switch (packet.kind) {
    case PacketKind::dropped:
        _stats.drops.count(packet.reason);
        break;
    case PacketKind::arp_request:
        make_arp_reply(frame, _local);
        _stats.arp_replies.add();
        _tx.send_frame(m);
        return false;
    case PacketKind::icmp_echo: {
        size_t length = make_icmp_echo_reply(frame);
        rte_pktmbuf_trim(m, static_cast<uint16_t>(frame.size() - length));
        _stats.icmp_replies.add();
        _tx.send_frame(m);
        return false;
    }
    case PacketKind::lnet:
        switch (accept_lnet(m, packet, handed_over, header)) {
        case Acceptance::deliver:
            message = {m, {packet.payload.data() + lnet::frame_overhead, header.payload_length}};
            return true;
        case Acceptance::handed_over:
            return false;
        case Acceptance::refused:
            break;
        }
        break;
    }
    rte_pktmbuf_free(m);
    return false;
}

Worker::Acceptance Worker::accept_lnet(rte_mbuf* m, const ParsedPacket& packet, bool handed_over,
                                       lnet::LnetHeader& header)
{
    lnet::EndpointCounters& counters = _endpoint.counters();
    bool noop = false;
    if (auto decoded = lnet::decode_frame(packet.payload, _setup.config->lnet.max_payload, header, noop); !decoded) {
        counters.drops.count(decoded.error());
        return Acceptance::refused;
    }
    if (noop) {
        counters.noops.add();
        return Acceptance::refused;
    }
    if (header.src_nid != lnet::Nid::tcp(packet.source.ip, _setup.config->network.net_number)) {
        _stats.drops.count(NetDrop::nid_spoofed);
        return Acceptance::refused;
    }
    unsigned owner = owner_of(header, _setup.index);
    if (!handed_over && owner != _setup.index && owner < _outboxes.size()) {
        if (rte_ring_enqueue(_outboxes[owner], m) != 0) {
            _stats.drops.count(NetDrop::handoff_ring_full);
            return Acceptance::refused;
        }
        _stats.handoffs_out.add();
        return Acceptance::handed_over;
    }
    _peers.learn(header.src_nid, header.src_pid, packet.source);
    return Acceptance::deliver;
}

void Worker::idle(const RunFlags& flags)
{
    if (_setup.config->poll.mode == PollMode::busy || ++_idle_polls < _setup.config->poll.idle_polls_before_sleep) {
        rte_pause();
        return;
    }
    _stats.idle_sleeps.add();
    if (!flags.stop.load(std::memory_order_relaxed))
        rte_delay_us_sleep(_setup.config->poll.sleep_us);
}

}  // namespace ostd::dataplane
