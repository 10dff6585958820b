#include "client/lnet_ping.hpp"

#include <cstdio>
#include <vector>

#include "lnet_core/byte_order.hpp"

namespace ostd::client {

namespace {

using Clock = std::chrono::steady_clock;

// What the ping's own MD reported: the REPLY (or nothing yet).
std::optional<lnet::Event> take_reply(lnet::EventQueue& events)
{
    lnet::Event event;
    while (events.poll(event))
        if (event.type == lnet::EventType::reply)
            return event;
    return std::nullopt;
}

std::string send_failure(UdpTransport& transport, lnet::SendStatus status, lnet::ProcessId to)
{
    if (transport.last_send_error())
        return "cannot send ping to " + lnet::format_process_id(to) + ": " + transport.last_send_error()->message();
    return "cannot send ping to " + lnet::format_process_id(to) +
           (status == lnet::SendStatus::too_long ? ": reply buffer larger than max_payload" : ": endpoint refused");
}

// The NI count a ping info header announces, if the magic is right.
std::optional<uint32_t> announced_nis(std::span<const std::byte> data)
{
    if (data.size() < lnet::ping_header_size || lnet::load_le<uint32_t>(&data[0]) != lnet::ping_magic)
        return std::nullopt;
    return lnet::load_le<uint32_t>(&data[12]);
}

lnet::Result<PingResult, PingError> decode_reply(const lnet::Event& reply, std::span<const std::byte> buffer,
                                                 Clock::duration round_trip, lnet::Nid target)
{
    std::span<const std::byte> data = buffer.first(reply.mlength);
    if (auto info = lnet::decode_ping_info(data))
        return PingResult{std::move(*info), std::chrono::duration_cast<std::chrono::nanoseconds>(round_trip)};
    // A peer with more NIs than we made room for truncates its answer to our
    // sink length (or we truncate it): say so rather than "garbage".
    if (auto count = announced_nis(data))
        return PingError{PingErrc::bad_reply, "ping info from " + lnet::format_nid(target) + " truncated: " +
                                                  std::to_string(*count) + " NIs, room for " +
                                                  std::to_string((buffer.size() - lnet::ping_header_size) /
                                                                 lnet::ping_ni_size)};
    return PingError{PingErrc::bad_reply, "reply from " + lnet::format_nid(target) + " is not ping info (" +
                                              std::to_string(reply.mlength) + " bytes)"};
}

}  // namespace

lnet::Result<PingResult, PingError> ping(UdpTransport& transport, lnet::Nid target, const PingOptions& options)
{
    if (!socket_address_of(target, 0))
        return PingError{PingErrc::bad_target, "cannot ping " + lnet::format_nid(target) + ": not an IPv4 (tcp) NID"};
    lnet::ProcessId to{target, options.target_pid};
    std::vector<std::byte> buffer(lnet::ping_header_size + options.max_nis * lnet::ping_ni_size);
    lnet::EventQueue events(8);
    // Threshold 2: the SEND and the REPLY; it unlinks itself after the REPLY.
    lnet::MdSpec spec{buffer, lnet::md_option::truncate, 2, 0, true, &events, 0};
    auto md = transport.endpoint().bind(spec);
    if (!md)
        return PingError{PingErrc::send, "cannot bind the ping reply buffer"};

    Clock::time_point start = Clock::now();
    lnet::SendStatus sent = transport.endpoint().get(*md, to, lnet::ping_portal, lnet::ping_match_bits, 0, transport);
    if (sent != lnet::SendStatus::sent) {
        transport.endpoint().unlink(*md);
        return PingError{PingErrc::send, send_failure(transport, sent, to)};
    }
    Clock::time_point deadline = start + options.timeout;
    for (;;) {
        if (auto reply = take_reply(events))
            return decode_reply(*reply, buffer, Clock::now() - start, target);
        Clock::time_point now = Clock::now();
        if (now >= deadline)
            break;
        auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
        if (auto polled = transport.poll(left); !polled) {
            transport.endpoint().unlink(*md);
            return PingError{PingErrc::transport, "ping " + lnet::format_nid(target) + ": " + polled.error().message()};
        }
    }
    // The buffer and queue die with this call: the MD must go first. A REPLY
    // arriving later finds a stale handle and is counted as such.
    transport.endpoint().unlink(*md);
    return PingError{PingErrc::timeout, "no reply from " + lnet::format_nid(target) + " within " +
                                            std::to_string(options.timeout.count()) + " ms"};
}

std::string ni_status_name(uint32_t status)
{
    if (status == lnet::ni_status_up)
        return "UP";
    if (status == lnet::ni_status_down)
        return "DOWN";
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", status);
    return text;
}

std::string ping_features_text(uint32_t features)
{
    static constexpr const char* names[] = {"base",      "ni_status",  "rte_disabled",  "multi_rail",
                                            "discovery", "large_addr", "primary_large", "metadata"};
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%x", features);
    std::string list;
    for (size_t bit = 0; bit < std::size(names); ++bit) {
        if (features & (1u << bit)) {
            if (!list.empty())
                list += ',';
            list += names[bit];
        }
    }
    return list.empty() ? std::string(hex) : std::string(hex) + " (" + list + ")";
}

}  // namespace ostd::client
