#include "client/bulk.hpp"

#include <utility>

#include "lnet_core/ptlrpc/opcodes.hpp"

namespace ostd::client {

lnet::Result<BulkBuffer, std::string> BulkBuffer::post(UdpTransport& transport, lnet::ProcessId server, uint64_t xid,
                                                       std::span<std::byte> memory, BulkDirection direction)
{
    uint32_t op = direction == BulkDirection::to_server ? lnet::md_option::op_get : lnet::md_option::op_put;
    // No event queue: the reply says how the transfer went (rc per niobuf,
    // or the bytes read), so nothing here needs the per-piece events.
    lnet::MdSpec md{memory, op | lnet::md_option::manage_remote, lnet::threshold_infinite, 0, false, nullptr, xid};
    lnet::MatchSpec me{lnet::ptlrpc::portal::ost_bulk, server, xid, 0};
    auto attached = transport.endpoint().attach(me, md, lnet::Position::after, transport);
    if (!attached)
        return "cannot post the bulk buffer for xid " + std::to_string(xid) + " on portal 8";
    return BulkBuffer(transport, *attached, xid);
}

BulkBuffer::BulkBuffer(BulkBuffer&& other) noexcept
    : _transport(other._transport), _md(std::exchange(other._md, {})), _xid(other._xid)
{
}

BulkBuffer& BulkBuffer::operator=(BulkBuffer&& other) noexcept
{
    if (this != &other) {
        release();
        _transport = other._transport;
        _md = std::exchange(other._md, {});
        _xid = other._xid;
    }
    return *this;
}

void BulkBuffer::release()
{
    if (!_md.valid())
        return;
    // Without an event queue there is no UNLINK event to make room for.
    _transport->endpoint().unlink(std::exchange(_md, {}));
}

}  // namespace ostd::client
