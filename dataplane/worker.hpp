// One polled core: it owns one RX and one TX queue, its LNET endpoint (match
// table with its request buffers and its shard of match-unique MEs), its event
// queue, its peers and its counters. Others reach it only through its rings:
// handed-over packets from other workers, and commands.
#pragma once

#include <rte_mbuf.h>
#include <rte_ring.h>

#include <array>
#include <atomic>
#include <memory>
#include <unordered_map>
#include <vector>

#include "dataplane/dataplane_config.hpp"
#include "dataplane/worker_service.hpp"
#include "dataplane/packet.hpp"
#include "dataplane/peer_table.hpp"
#include "dataplane/udp_tx_sink.hpp"
#include "dataplane/worker_command.hpp"
#include "dataplane/worker_stats.hpp"
#include "lnet_core/endpoint.hpp"

namespace ostd::dataplane {

struct WorkerSetup {
    unsigned index = 0;        // also the owner core named in MD cookies
    unsigned worker_count = 1;
    uint16_t port = 0;
    rte_mempool* pool = nullptr;
    LocalAddress local;
    const DataplaneConfig* config = nullptr;
};

// Flags the whole data plane shares, written by control, read by workers.
struct RunFlags {
    std::atomic<bool> stop{false};
    // Off until the services are attached: a packet taken before its
    // portal has an ME would be dropped as no_match.
    std::atomic<bool> forwarding{false};
};

class alignas(64) Worker {
public:
    explicit Worker(const WorkerSetup& setup);
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    // Wiring before launch: where this worker sends packets owned by another.
    void connect(std::vector<rte_ring*> outboxes) { _outboxes = std::move(outboxes); }
    rte_ring* inbox() const { return _inbox; }

    // The lcore loop; returns when flags.stop is set.
    void run(const RunFlags& flags);

    // From any thread: queue work to run on this worker's core.
    bool submit(const WorkerCommandPtr& command);
    // Owner-core only (a command, or before launch): who serves a service's
    // events. The service outlives the worker's loop.
    void add_service(ServiceId service, WorkerService* handler) { _services[service] = handler; }
    // Requests for the control core (dataplane/incoming_rpc.hpp), SP/SC.
    rte_ring* to_control() const { return _to_control; }

    unsigned index() const { return _setup.index; }
    const WorkerStats& stats() const { return _stats; }
    WorkerStats& stats() { return _stats; }
    lnet::EventQueue& eq() { return _eq; }
    // Owner-core only (commands run there):
    lnet::Endpoint& endpoint() { return _endpoint; }
    const PeerTable& peers() const { return _peers; }
    UdpTxSink& tx() { return _tx; }
    const LocalAddress& local() const { return _local; }

private:
    static constexpr unsigned max_burst = 64;

    // An LNET message kept for delivery: its mbuf and where its payload is.
    struct LnetMessage {
        rte_mbuf* mbuf = nullptr;
        std::span<const std::byte> payload;
    };
    enum class Acceptance { deliver, handed_over, refused };

    void poll_once(const RunFlags& flags, bool& busy);
    void drain_commands();
    void retry_pending();
    size_t drain_events();
    size_t poll_services();
    void process_burst(rte_mbuf** mbufs, unsigned count, bool handed_over);
    // Answers ARP/ICMP, counts refusals, hands over what another worker owns;
    // true when m is an LNET message for this worker (header, message filled).
    bool classify(rte_mbuf* m, bool handed_over, lnet::LnetHeader& header, LnetMessage& message);
    Acceptance accept_lnet(rte_mbuf* m, const ParsedPacket& packet, bool handed_over, lnet::LnetHeader& header);
    void idle(const RunFlags& flags);

    WorkerSetup _setup;
    LocalAddress _local;
    uint16_t _queue;
    WorkerStats _stats;
    lnet::EventQueue _eq;
    lnet::Endpoint _endpoint;
    PeerTable _peers;
    UdpTxSink _tx;
    rte_ring* _inbox = nullptr;      // packets handed over by other workers (MP/SC)
    rte_ring* _commands = nullptr;   // WorkerCommandPtr boxes (MP/SC)
    rte_ring* _to_control = nullptr; // IncomingRpc* for the control core (SP/SC)
    std::vector<rte_ring*> _outboxes;  // indexed by owner worker
    std::vector<rte_mbuf*> _pending;   // pushed back: offered again before new RX
    // One burst's decoded headers and match plans. Members, not locals: their types
    // have default initialisers, and a poll clearing ~13 KiB of stack arrays
    // cost more than the rest of the path.
    lnet::LnetHeader _burst_headers[max_burst];
    lnet::MatchPlan _burst_plans[max_burst];
    LnetMessage _burst_messages[max_burst];
    uint32_t _idle_polls = 0;
    std::unordered_map<ServiceId, WorkerService*> _services;
};

}  // namespace ostd::dataplane
