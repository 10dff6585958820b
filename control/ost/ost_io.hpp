// The OST I/O engine of one worker (DESIGN.md 2, 4.4-4.6): request buffers on
// portal 6, and OST_WRITE, OST_READ, OST_PUNCH served to completion on the
// worker that received them; OST_GETATTR, OST_SETATTR and OST_SYNC too, when
// the control core's router forwards them here (serve_forwarded).
//
// A write GETs its data from the client's bulk MD (portal 8, match bits
// pb_mbits or the xid) in pieces of at most max_payload bytes, a window of
// them at a time, then writes each niobuf through the worker's StoreChannel
// and replies [ost_body][rc per niobuf]. A read reads first, then PUTs the
// bytes read in pieces (ACK on each) and replies with the byte count as
// status. Nothing here blocks: events and storage completions move each RPC
// on, and poll() retries what was pushed back and times out RPCs whose bulk
// stalled (their MDs are unlinked before their buffers are freed).
//
// No DPDK: it drives an lnet::Endpoint and a TxSink, so tests run it with two
// endpoints wired together (tests/unit/ost/).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "control/ost/export_view.hpp"
#include "lnet_core/counter.hpp"
#include "lnet_core/endpoint.hpp"
#include "lnet_core/ptlrpc/ost_wire.hpp"
#include "lnet_core/ptlrpc/message_error.hpp"
#include "lnet_core/ptlrpc/ptlrpc_body.hpp"
#include "lnet_core/request_buffers.hpp"
#include "objstore/async_store.hpp"

namespace ostd::control::ost {

using Clock = std::chrono::steady_clock;

struct OstIoConfig {
    lnet::RequestBuffersConfig buffers;  // portal, tag and eq are set by OstIo
    uint64_t tag = 0;                    // the service's tag (top 16 bits of user_data)
    uint32_t max_payload = 1376;         // bytes per bulk GET/PUT (the link's LNET payload)
    uint32_t window = 32;                // bulk pieces in flight per RPC
    uint64_t max_rpc_bytes = 4u << 20;   // larger I/O is refused (-EINVAL)
    size_t max_rpcs = 256;               // RPCs in progress; beyond, requests wait in their buffers
    std::chrono::milliseconds bulk_timeout{5000};  // without progress: the RPC is abandoned
    // A bulk piece (GET or PUT) not completed after this is sent again: over
    // UDP the datagram or its REPLY/ACK may be lost. Re-fetching or re-putting
    // the same bytes at the same offset is harmless; the old MD goes first, so
    // a late answer to it is dropped.
    std::chrono::milliseconds bulk_retry{100};
    // Sooner when a piece sent after it is already done (one link does not
    // reorder: its answer was lost), once this much has passed.
    std::chrono::milliseconds bulk_fast_retry{10};
    size_t resend_keep = 16;             // completed RPCs remembered per export
};

struct OstIoStats {
    lnet::Counter writes, reads, punches, attrs;  // served (replied)
    lnet::Counter bytes_written, bytes_read;
    lnet::Counter not_connected;   // unknown pb_handle: -ENOTCONN
    lnet::ptlrpc::MessageErrorCounters malformed;  // not decodable or not a valid request
    lnet::Counter unsupported;     // -EOPNOTSUPP (LADVISE, wrong portal)
    lnet::Counter resent_replayed; // a resend answered from the record
    lnet::Counter resent_in_progress;  // a resend of an RPC still being served: dropped
    lnet::Counter timeouts;        // RPCs abandoned: bulk did not complete in time
    lnet::Counter bulk_failures;   // a GET/PUT that failed or moved the wrong length
    lnet::Counter bulk_retries;    // a GET/PUT sent again after bulk_retry without its REPLY/ACK
    lnet::Counter store_pushbacks; // the StoreChannel was full; retried
    lnet::Counter tx_pushbacks;    // an LNET send pushed back; retried
    lnet::Counter reply_failures;  // a reply that could not be sent (the client resends)
    lnet::Counter abandoned;       // RPCs in bulk when their export was evicted or disconnected
};

// A size the lock service's LVB should know (DESIGN 6): after writes the
// object is at least `size` bytes (exact = false); after a truncate or setattr
// it is exactly `size` (exact = true).
struct SizeChange {
    uint64_t object = 0;
    uint64_t size = 0;
    bool exact = false;
};

class OstIo {
public:
    OstIo(lnet::Endpoint& endpoint, lnet::EventQueue& eq, objstore::StoreChannel& store, const OstIoConfig& config);
    ~OstIo();
    OstIo(const OstIo&) = delete;
    OstIo& operator=(const OstIo&) = delete;

    // Posts the request buffers on the configured portal (lazy, match-any).
    bool start(lnet::TxSink& tx);
    // An event of one of our MDs (request buffer or bulk piece).
    void on_event(const lnet::Event& event, lnet::TxSink& tx, Clock::time_point now);
    // Storage completions, retries, timeouts; returns the work done.
    size_t poll(lnet::TxSink& tx, Clock::time_point now);
    // A GETATTR/SETATTR/SYNC the control core checked (export included).
    void serve_forwarded(std::span<const std::byte> request, lnet::ProcessId peer, uint64_t xid,
                         lnet::TxSink& tx, Clock::time_point now);

    ExportView& exports() { return _exports; }
    // Called on this worker when an object's size may have changed.
    void on_size_change(std::function<void(const SizeChange&)> hook) { _size_hook = std::move(hook); }

    // The export is gone (evicted or disconnected): its RPCs still moving bulk
    // stop now (MDs unlinked, no reply; a write not yet fetched is not
    // applied) instead of waiting out the bulk timeout. Returns how many.
    size_t abandon(uint64_t export_handle, lnet::TxSink& tx, Clock::time_point now);

    const OstIoStats& stats() const { return _stats; }
    size_t in_progress() const { return _rpcs.size(); }
    size_t bulk_mds() const;  // MDs of bulk pieces still linked (0 when idle)

    struct Rpc;  // one RPC in progress (ost_io.cpp)

private:
    void on_request(const lnet::Request& request, lnet::TxSink& tx, Clock::time_point now);
    void serve(std::span<const std::byte> bytes, lnet::ProcessId peer, uint64_t xid, bool forwarded,
               lnet::TxSink& tx, Clock::time_point now);
    Rpc& admit(const lnet::ptlrpc::PtlrpcBody& body, uint32_t msg_flags, lnet::ProcessId peer, uint64_t xid,
               uint64_t export_handle, Clock::time_point now);
    bool start_brw(Rpc& rpc, std::span<const std::byte> ioobjs, std::span<const std::byte> niobufs);
    bool start_attr(Rpc& rpc, const lnet::ptlrpc::Obdo& obdo);
    void on_bulk_event(const lnet::Event& event, lnet::TxSink& tx, Clock::time_point now);
    void on_store(const objstore::StoreCompletion& completion, lnet::TxSink& tx, Clock::time_point now);
    size_t advance(Rpc& rpc, lnet::TxSink& tx, Clock::time_point now);
    size_t submit_store(Rpc& rpc);
    size_t send_pieces(Rpc& rpc, lnet::TxSink& tx, Clock::time_point now);
    bool send_piece(Rpc& rpc, size_t index, lnet::TxSink& tx, Clock::time_point now);
    size_t retry_pieces(Rpc& rpc, lnet::TxSink& tx, Clock::time_point now);
    void finish_store(Rpc& rpc, lnet::TxSink& tx, Clock::time_point now);
    void reply(Rpc& rpc, lnet::TxSink& tx);
    bool send_reply(lnet::ProcessId peer, uint64_t xid, uint32_t msg_flags, std::span<const std::byte> bytes,
                    lnet::TxSink& tx);
    void reply_error(const lnet::ptlrpc::PtlrpcBody& body, uint32_t msg_flags, lnet::ProcessId peer, uint64_t xid,
                     int errno_value, lnet::TxSink& tx);
    bool expire(Rpc& rpc, lnet::TxSink& tx, Clock::time_point now);
    void release(uint64_t id);
    void report_size(uint64_t object, uint64_t size, bool exact);

    lnet::Endpoint& _endpoint;
    lnet::EventQueue& _eq;
    objstore::StoreChannel& _store;
    OstIoConfig _config;
    lnet::RequestBuffers _buffers;
    ExportView _exports;
    std::unordered_map<uint64_t, std::unique_ptr<Rpc>> _rpcs;  // by id (in MD user_data and store cookies)
    std::deque<lnet::Request> _waiting;  // behind max_rpcs, still in their buffers
    std::unordered_map<uint64_t, uint64_t> _known_size;  // per object: the largest size reported
    std::function<void(const SizeChange&)> _size_hook;
    uint64_t _next_id = 1;
    OstIoStats _stats;
};

}  // namespace ostd::control::ost
