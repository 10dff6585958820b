// One RPC in progress on a worker's OST I/O engine (ost_io.hpp): what it
// asked for, its buffer, its bulk pieces, its storage operations. Internal to
// the engine; apart so each of its files stays readable.
#pragma once

#include <cstdint>
#include <vector>

#include "control/ost/ost_io.hpp"
#include "lnet_core/ptlrpc/opcodes.hpp"

namespace ostd::control::ost {

enum class Phase : uint8_t {
    fetching,  // write: GETting the data from the client
    storing,   // storage operations submitted or to submit
    sending,   // read: PUTting the data to the client
    replying,  // the reply is built; sending it (retried on pushback)
    dying,     // abandoned: unlinking its MDs before it is freed
};

// One niobuf (or the single object of an attribute RPC).
struct Extent {
    uint64_t object = 0;
    uint64_t offset = 0;  // in the object
    uint32_t length = 0;
    uint64_t at = 0;      // in the RPC's buffer
    int32_t rc = 0;       // 0 or -errno
    uint64_t bytes = 0;   // moved by storage
};

// One bulk GET or PUT: an MD over [at, at + length) of the RPC's buffer.
struct Piece {
    lnet::MdHandle md;
    uint32_t at = 0;
    uint32_t length = 0;
    bool linked = false;
    bool done = false;
    Clock::time_point sent_at;  // of the latest attempt
};

struct OstIo::Rpc {
    uint64_t id = 0;
    lnet::ptlrpc::Opcode opc = lnet::ptlrpc::Opcode::ost_read;
    lnet::ptlrpc::PtlrpcBody body;
    uint32_t msg_flags = 0;
    lnet::ProcessId peer;
    uint64_t xid = 0;
    uint64_t mbits = 0;          // the client's bulk MD: pb_mbits, or the xid
    uint64_t export_handle = 0;
    lnet::ptlrpc::Obdo obdo;     // the request's ost_body
    std::vector<Extent> extents;
    std::vector<std::byte> data;
    std::vector<objstore::StoreRequest> store_ops;  // one per extent, submitted in order
    size_t store_next = 0;
    size_t store_pending = 0;
    std::vector<Piece> pieces;
    size_t next_piece = 0;
    size_t first_undone = 0;     // every piece before it is done
    size_t pieces_done = 0;
    Clock::time_point newest_done_sent;  // the latest sent_at among done pieces
    size_t linked = 0;
    objstore::ObjectAttr attr;   // attribute RPCs: the result
    int32_t status = 0;
    Phase phase = Phase::storing;
    Clock::time_point deadline;  // of the bulk phase
    std::vector<std::byte> reply;
    bool remember = false;       // keep the reply for a resend (writes, punches)
};

}  // namespace ostd::control::ost
