// A worker's way out: LNET messages become Ethernet/IPv4/UDP frames in mbufs,
// buffered for the worker's own TX queue and flushed once per poll.
#pragma once

#include <rte_ethdev.h>
#include <rte_mempool.h>

#include "dataplane/packet.hpp"
#include "dataplane/peer_table.hpp"
#include "dataplane/worker_stats.hpp"
#include "lnet_core/tx_sink.hpp"

namespace ostd::dataplane {

class UdpTxSink : public lnet::TxSink {
public:
    UdpTxSink(uint16_t port, uint16_t queue, rte_mempool* pool, const LocalAddress& local,
              const PeerTable& peers, WorkerStats& stats, uint16_t burst);
    ~UdpTxSink() override;
    UdpTxSink(const UdpTxSink&) = delete;
    UdpTxSink& operator=(const UdpTxSink&) = delete;

    bool transmit(const lnet::LnetHeader& header, std::span<const std::byte> payload) override;
    // Queues a frame already built in an mbuf (ARP and ICMP answers).
    void send_frame(rte_mbuf* frame);
    void flush();

private:
    uint16_t _port;
    uint16_t _queue;
    rte_mempool* _pool;
    const LocalAddress& _local;
    const PeerTable& _peers;
    WorkerStats& _stats;
    rte_eth_dev_tx_buffer* _buffer;
    uint16_t _ip_id = 0;
};

}  // namespace ostd::dataplane
