// The client's bulk MD for one BRW RPC (DESIGN.md 4.4, 4.6): a match-unique
// ME on portal 8 for (server NID, server pid, xid), over the caller's memory.
// A write's MD answers the server's GETs (op_get), a read's takes its PUTs
// (op_put); both with manage_remote, since the server moves the data in
// pieces at increasing offsets. The MD lives until the RPC is over: it is
// unlinked when the BulkBuffer goes (reply, failure, or timeout alike).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "client/udp_transport.hpp"
#include "lnet_core/result.hpp"

namespace ostd::client {

enum class BulkDirection : uint8_t {
    to_server,    // OST_WRITE: the server GETs from us
    from_server,  // OST_READ: the server PUTs into us (ACK requested)
};

class BulkBuffer {
public:
    // memory outlives the BulkBuffer. xid: the RPC's (RpcClient::next_xid()
    // before start()), also sent as pb_mbits.
    static lnet::Result<BulkBuffer, std::string> post(UdpTransport& transport, lnet::ProcessId server, uint64_t xid,
                                                      std::span<std::byte> memory, BulkDirection direction);

    BulkBuffer() = default;
    BulkBuffer(BulkBuffer&& other) noexcept;
    BulkBuffer& operator=(BulkBuffer&& other) noexcept;
    BulkBuffer(const BulkBuffer&) = delete;
    BulkBuffer& operator=(const BulkBuffer&) = delete;
    ~BulkBuffer() { release(); }

    // Unlinks the MD now: a late GET or PUT finds no ME (counted no_match).
    void release();
    uint64_t match_bits() const { return _xid; }
    bool posted() const { return _md.valid(); }

private:
    BulkBuffer(UdpTransport& transport, lnet::MdHandle md, uint64_t xid) : _transport(&transport), _md(md), _xid(xid) {}

    UdpTransport* _transport = nullptr;
    lnet::MdHandle _md;
    uint64_t _xid = 0;
};

}  // namespace ostd::client
