#include "dataplane/udp_tx_sink.hpp"

#include <rte_malloc.h>
#include <rte_mbuf.h>

#include <stdexcept>

#include "lnet_core/frame.hpp"

namespace ostd::dataplane {
namespace {

// A TX ring that stays full loses the frames: count them (the LNET peer
// recovers by resending).
void count_unsent(rte_mbuf** unsent, uint16_t count, void* stats)
{
    for (uint16_t i = 0; i < count; ++i) {
        static_cast<WorkerStats*>(stats)->drops.count(NetDrop::tx_queue_full);
        rte_pktmbuf_free(unsent[i]);
    }
}

}  // namespace

UdpTxSink::UdpTxSink(uint16_t port, uint16_t queue, rte_mempool* pool, const LocalAddress& local,
                     const PeerTable& peers, WorkerStats& stats, uint16_t burst)
    : _port(port), _queue(queue), _pool(pool), _local(local), _peers(peers), _stats(stats)
{
    _buffer = static_cast<rte_eth_dev_tx_buffer*>(
        rte_zmalloc_socket("ostd_tx_buffer", RTE_ETH_TX_BUFFER_SIZE(burst), 0, rte_eth_dev_socket_id(port)));
    if (!_buffer)
        throw std::runtime_error("cannot allocate a TX buffer for port " + std::to_string(port));
    rte_eth_tx_buffer_init(_buffer, burst);
    rte_eth_tx_buffer_set_err_callback(_buffer, count_unsent, &_stats);
}

UdpTxSink::~UdpTxSink()
{
    rte_free(_buffer);
}

bool UdpTxSink::transmit(const lnet::LnetHeader& header, std::span<const std::byte> payload)
{
    const UdpPeer* peer = _peers.find(header.dest_nid, header.dest_pid);
    if (!peer) {
        _stats.drops.count(NetDrop::no_route);
        return true;  // nothing would make it deliverable later: counted, not retried
    }
    rte_mbuf* m = rte_pktmbuf_alloc(_pool);
    if (!m) {
        _stats.drops.count(NetDrop::tx_pool_empty);
        return false;  // the caller pushes back and tries again
    }
    size_t lnet_length = lnet::frame_overhead + payload.size();
    size_t total = udp_headers_size + lnet_length;
    auto* data = reinterpret_cast<std::byte*>(rte_pktmbuf_append(m, static_cast<uint16_t>(total)));
    if (!data) {
        rte_pktmbuf_free(m);
        _stats.drops.count(NetDrop::oversize);
        return true;
    }
    lnet::encode_frame(header, payload, std::span(data + udp_headers_size, lnet_length));
    write_udp_frame(std::span(data, total), _local, *peer, lnet_length, _ip_id++);
    send_frame(m);
    return true;
}

void UdpTxSink::send_frame(rte_mbuf* frame)
{
    _stats.tx_packets.add();
    _stats.tx_bytes.add(rte_pktmbuf_pkt_len(frame));
    rte_eth_tx_buffer(_port, _queue, _buffer, frame);
}

void UdpTxSink::flush()
{
    rte_eth_tx_buffer_flush(_port, _queue, _buffer);
}

}  // namespace ostd::dataplane
