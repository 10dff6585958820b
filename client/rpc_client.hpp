// The client's ptlrpc layer toward one server (DESIGN.md 4.4): xids, reply
// buffers, requests as LNET PUTs, resends with the RESENT flag, timeouts.
//
// For each call: a match-unique ME on the opcode's reply portal matching
// (server NID, server pid, xid), its MD a reply buffer (op PUT, threshold 1,
// manage_remote, no truncate); then the request PUT (no ACK) on the request
// portal with match bits = xid. Requests carry AT_SUPPORT in lm_flags, as
// Lustre clients' do, so the server PUTs its reply at offset 224
// (reply_offset): the reply buffer is 224 + max_reply bytes and the reply is
// read from 224. The first 224 bytes are where Lustre's early replies land;
// we do not expect early replies (an event at another offset is refused).
//
// xids: a per-client counter stepping by 128 (xid_step; the low 7 bits are
// left for bulk match bits). The first is the wall clock in microseconds
// times 128, so a restarted client starts above every xid it used before as
// long as it averaged less than one RPC per microsecond.
//
// Blocking (call) and non-blocking (start, poll, take) use: several calls may
// be in flight; poll() moves them all (receive, resend, time out). Single
// owner, like the transport it drives. Events go to the client's own queue,
// so the transport's queue and other users of it are left alone.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "client/udp_transport.hpp"
#include "lnet_core/ptlrpc/message.hpp"
#include "lnet_core/ptlrpc/opcodes.hpp"
#include "lnet_core/ptlrpc/ptlrpc_body.hpp"
#include "lnet_core/ptlrpc/rpc_layout.hpp"

namespace ostd::client {

namespace ptlrpc = lnet::ptlrpc;

inline constexpr uint64_t xid_step = 128;
inline constexpr uint32_t reply_offset = lnet::ptlrpc::at_reply_offset;  // where the reply lands with AT_SUPPORT

struct RpcClientConfig {
    lnet::ProcessId server;                  // pid lnet::lustre_pid for ostd and Lustre
    std::chrono::milliseconds timeout{1000};  // per attempt
    unsigned resends = 3;                    // attempts = resends + 1
    uint32_t max_reply = 8192;               // largest reply message accepted
    uint64_t first_xid = 0;                  // 0: time-based (see above); else rounded up to xid_step
    size_t eq_capacity = 1024;
};

// What the caller asks; the client fills pb_handle (the export's, unless
// with_export is false or body.handle is set), conn_cnt, last_xid, timeout
// and the RESENT flag. body.mbits, jobid, uid... are the caller's.
struct Request {
    ptlrpc::Opcode opc = ptlrpc::Opcode::obd_ping;
    std::vector<std::vector<std::byte>> buffers;  // after the body
    ptlrpc::PtlrpcBody body;
    bool with_export = true;
    std::optional<std::chrono::milliseconds> timeout;  // per attempt; default the client's
};

// A decoded, validated reply (check_reply passed). Owns its bytes; message
// views them, so a Reply moves but does not copy.
struct Reply {
    std::vector<std::byte> bytes;
    ptlrpc::Message message;
    ptlrpc::PtlrpcBody body;
    uint64_t xid = 0;
    unsigned attempts = 0;  // 1: no resend
    std::chrono::nanoseconds round_trip{0};  // from the first send

    Reply() = default;
    Reply(Reply&&) = default;
    Reply& operator=(Reply&&) = default;
    Reply(const Reply&) = delete;
    Reply& operator=(const Reply&) = delete;

    int32_t status() const { return body.status; }  // -errno, or a positive ELDLM code
    std::span<const std::byte> buffer(size_t i) const { return message.buffer(i); }
};

enum class RpcErrc : uint8_t {
    send,       // the request could not be sent (transport or endpoint refused it)
    transport,  // polling the socket failed
    timeout,    // no reply after every attempt
    bad_reply,  // the reply is not a valid ptlrpc reply to this request
    refused,    // the server answered with an error status (session-level calls)
    unknown_call,
};

struct RpcError {
    RpcErrc code = RpcErrc::timeout;
    std::string detail;  // a full sentence naming the RPC and the server
    std::optional<ptlrpc::MessageError> message_error;  // for bad_reply
    int32_t status = 0;  // for refused
};

using RpcResult = lnet::Result<Reply, RpcError>;
using CallId = uint64_t;  // the call's xid

struct RpcCounters {
    lnet::Counter started;
    lnet::Counter resends;
    lnet::Counter replies;
    lnet::Counter timeouts;
    lnet::Counter bad_replies;
    lnet::Counter send_failures;
};

class RpcClient {
public:
    RpcClient(UdpTransport& transport, const RpcClientConfig& config);
    ~RpcClient();  // unlinks the reply MDs of calls still in flight
    RpcClient(const RpcClient&) = delete;
    RpcClient& operator=(const RpcClient&) = delete;

    // Blocking: start, then poll until this call completes. Other calls that
    // complete meanwhile stay for take().
    RpcResult call(Request request);

    // Non-blocking building blocks.
    lnet::Result<CallId, RpcError> start(Request request);
    // Waits up to timeout for traffic, then handles replies, resends and
    // timeouts of every call in flight. Returns how many calls completed.
    lnet::Result<size_t, RpcError> poll(std::chrono::milliseconds timeout);
    // The result of a completed call (once), or nothing if still in flight.
    std::optional<RpcResult> take(CallId id);
    // Every completed call's result, in completion order.
    std::vector<std::pair<CallId, RpcResult>> take_completed();
    size_t in_flight() const { return _pending.size(); }

    // Run by poll() after each read of the socket: lets other services on
    // the transport (the lock callback service) handle what arrived while
    // this client waits. It may make calls of its own (they nest).
    void set_poll_hook(std::function<void()> hook) { _poll_hook = std::move(hook); }
    // The hook installed now (so another can be chained in front of it).
    const std::function<void()>& poll_hook() const { return _poll_hook; }

    // The export the server gave at connect: carried in every later pb_handle.
    void set_export(uint64_t handle, uint32_t conn_cnt);
    void clear_export() { set_export(0, 0); }
    uint64_t export_handle() const { return _export_handle; }
    uint32_t conn_cnt() const { return _conn_cnt; }

    uint64_t next_xid() const { return _next_xid; }
    const RpcClientConfig& config() const { return _config; }
    const RpcCounters& counters() const { return _counters; }
    UdpTransport& transport() { return _transport; }

private:
    struct Pending;

    lnet::Result<bool, RpcError> send(Pending& call);
    void drain_events();
    void on_reply_event(Pending& call, const lnet::Event& event);
    void expire(std::chrono::steady_clock::time_point now);
    void complete(CallId id, RpcResult result);
    uint64_t last_xid(uint64_t sending) const;
    std::string describe(const Pending& call) const;

    UdpTransport& _transport;
    RpcClientConfig _config;
    lnet::EventQueue _events;
    uint64_t _next_xid;
    uint64_t _export_handle = 0;
    uint32_t _conn_cnt = 0;
    std::unordered_map<CallId, std::unique_ptr<Pending>> _pending;
    std::vector<std::pair<CallId, RpcResult>> _completed;
    std::function<void()> _poll_hook;
    RpcCounters _counters;
};

// The xid a client started now would use first (microseconds × xid_step).
uint64_t time_based_first_xid();

}  // namespace ostd::client
