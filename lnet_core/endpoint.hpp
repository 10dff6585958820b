// One LNET endpoint as a core owns it: its match table, the messages waiting
// on its lazy portals, its counters. It takes in datagrams and turns them into
// deposited data, events, and the ACKs and REPLYs LNET owes the sender; it
// also starts PUTs and GETs of its own. Single owner: never shared.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <span>
#include <vector>

#include "lnet_core/endpoint_counters.hpp"
#include "lnet_core/event_queue.hpp"
#include "lnet_core/frame.hpp"
#include "lnet_core/match_table.hpp"
#include "lnet_core/tx_sink.hpp"

namespace ostd::lnet {

struct EndpointConfig {
    ProcessId self;                   // our NID and pid
    uint64_t interface_cookie = 1;    // incarnation: part of every wire handle we give out
    uint8_t core = 0;                 // owner core, named in our MD cookies
    uint32_t max_payload = lnet::max_payload;  // per datagram (the link decides)
    size_t delayed_limit = 1024;      // parked PUTs per lazy portal
    size_t unique_capacity = 1024;    // initial unique-ME slots
};

enum class ReceiveStatus : uint8_t {
    delivered,  // consumed (including NOOPs)
    delayed,    // parked on a lazy portal until a buffer is attached
    dropped,    // refused for good, counted under reason
    pushback,   // not consumed: EQ or TX full, offer it again later
};

struct ReceiveResult {
    ReceiveStatus status;
    DropReason reason = DropReason::count_;
};

enum class SendStatus : uint8_t { sent, bad_handle, too_long, pushback };
enum class UnlinkStatus : uint8_t { unlinked, stale, pushback };

struct PutOptions {
    bool ack = false;
    uint32_t remote_offset = 0;
    uint64_t hdr_data = 0;
    uint32_t local_offset = 0;
    uint32_t length = UINT32_MAX;  // UINT32_MAX: the rest of the MD
};

class Endpoint {
public:
    explicit Endpoint(const EndpointConfig& config);

    // Receive side.
    ReceiveResult receive(std::span<const std::byte> datagram, TxSink& tx);
    ReceiveResult handle(const LnetHeader& header, std::span<const std::byte> payload, TxSink& tx);
    // A burst's form, staged so its cache misses overlap (MatchPlan): plan
    // each header as it is decoded, locate every plan once the burst is in,
    // then handle the messages in arrival order, each with its plan.
    void plan(const LnetHeader& header, MatchPlan& plan) const;
    void locate(MatchPlan& plan) const { _table.locate(plan); }
    ReceiveResult handle(const LnetHeader& header, std::span<const std::byte> payload, TxSink& tx,
                         const MatchPlan& plan);

    // MDs. Attaching to a lazy portal offers it the PUTs parked there (their
    // ACKs may go out through tx).
    Result<MdHandle, AttachError> attach(const MatchSpec& me, const MdSpec& md, Position position, TxSink& tx);
    Result<MdHandle, AttachError> bind(const MdSpec& md);
    UnlinkStatus unlink(MdHandle handle);
    // Clearing the flag drops what was parked (counted lazy_cleared).
    bool set_lazy(uint32_t portal, bool lazy);
    // Offers parked PUTs again (after a pushback); returns how many were delivered.
    size_t retry_delayed(TxSink& tx);

    // Initiator side: a SEND event follows each message sent.
    SendStatus put(MdHandle md, ProcessId target, uint32_t portal, uint64_t match_bits,
                   const PutOptions& options, TxSink& tx);
    // Sends bytes as one PUT with no events (a reply, an AST): a one-shot MD
    // that goes with its SEND, or is unlinked when the PUT cannot go. The
    // bytes are copied into the frame before this returns.
    SendStatus put_bytes(std::span<const std::byte> bytes, ProcessId target, uint32_t portal, uint64_t match_bits,
                         const PutOptions& options, TxSink& tx);
    // Asks for md.length bytes from the target's MD; the REPLY lands at offset 0.
    SendStatus get(MdHandle md, ProcessId target, uint32_t portal, uint64_t match_bits,
                   uint32_t remote_offset, TxSink& tx);

    MatchTable& table() { return _table; }
    const MatchTable& table() const { return _table; }
    const EndpointCounters& counters() const { return _counters; }
    EndpointCounters& counters() { return _counters; }
    size_t delayed(uint32_t portal) const { return _delayed[portal].size(); }
    const EndpointConfig& config() const { return _config; }

private:
    struct DelayedPut {
        LnetHeader header;
        std::vector<std::byte> payload;
    };

    [[gnu::noinline, gnu::cold]] ReceiveResult drop(DropReason reason);
    [[gnu::noinline]] ReceiveResult pushback();
    // A PUT for a lazy portal with no buffer yet: kept for redeliver().
    [[gnu::noinline, gnu::cold]] ReceiveResult park(const LnetHeader& header, std::span<const std::byte> payload);
    ReceiveResult on_put(const LnetHeader& header, std::span<const std::byte> payload, TxSink& tx,
                         const MatchPlan& plan);
    ReceiveResult deliver_put(const LnetHeader& header, std::span<const std::byte> payload,
                              const MatchRequest& request, const MatchOutcome& match, TxSink& tx);
    // Posts the event of a committed match and consumes the MD's operation.
    ReceiveResult complete_match(EventType type, const LnetHeader& header, const MatchRequest& request,
                                 const MatchOutcome& match, uint64_t hdr_data);
    // Consumes the SEND operation of a sent MD and posts its SEND event.
    void complete_send(uint32_t slot, MdHandle handle, const Event& sent);
    ReceiveResult on_get(const LnetHeader& header, TxSink& tx, const MatchPlan& plan);
    ReceiveResult on_ack(const LnetHeader& header);
    ReceiveResult on_reply(const LnetHeader& header, std::span<const std::byte> payload);
    uint32_t our_md(const WireHandle& handle) const;
    bool eq_full(uint32_t slot);
    // Writes every field of event: type, the MD's handle and user data, who
    // sent what to whom; the rest zero, for the caller to set.
    void fill_event(Event& event, EventType type, uint32_t slot, const LnetHeader& header) const;
    LnetHeader header_to(ProcessId target, uint32_t payload_length) const;
    size_t redeliver(uint32_t portal, TxSink& tx);

    EndpointConfig _config;
    MatchTable _table;
    std::array<std::deque<DelayedPut>, portal_count> _delayed;
    EndpointCounters _counters;
};

}  // namespace ostd::lnet
