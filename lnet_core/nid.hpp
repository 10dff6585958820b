// LNET network identifiers: NIDs (net + address) and process ids (NID + pid).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ostd::lnet {

enum class LndType : uint16_t { socklnd = 2, o2iblnd = 5, lolnd = 9 };

// 64-bit NID: (net << 32) | address, net = (lnd type << 16) | net number.
struct Nid {
    uint64_t value = 0;

    static constexpr uint64_t any_value = ~uint64_t{0};
    static constexpr Nid any() { return Nid{any_value}; }
    static constexpr Nid make(LndType lnd, uint16_t net_number, uint32_t address)
    {
        uint64_t net = (uint64_t{static_cast<uint16_t>(lnd)} << 16) | net_number;
        return Nid{(net << 32) | address};
    }
    // An IPv4 address given in host order (10.0.0.2 is 0x0a000002).
    static constexpr Nid tcp(uint32_t ipv4, uint16_t net_number = 0)
    {
        return make(LndType::socklnd, net_number, ipv4);
    }

    constexpr uint32_t address() const { return static_cast<uint32_t>(value); }
    constexpr uint32_t net() const { return static_cast<uint32_t>(value >> 32); }
    constexpr uint16_t lnd() const { return static_cast<uint16_t>(net() >> 16); }
    constexpr uint16_t net_number() const { return static_cast<uint16_t>(net()); }
    constexpr bool is_any() const { return value == any_value; }

    friend constexpr bool operator==(Nid, Nid) = default;
};

// Dotted-quad IPv4 text <-> host-order u32 (10.0.0.2 is 0x0a000002).
std::optional<uint32_t> parse_ipv4(std::string_view text);
std::string format_ipv4(uint32_t address);

// Text forms: "10.0.0.2@tcp", "10.0.0.2@tcp3", "0@lo", "192.168.1.1@o2ib2",
// and "<?>" (or "LNET_NID_ANY") for NID_ANY, as Lustre prints them.
std::optional<Nid> parse_nid(std::string_view text);
std::string format_nid(Nid nid);

using Pid = uint32_t;
inline constexpr Pid pid_any = ~Pid{0};
inline constexpr Pid lustre_pid = 12345;  // what kernel Lustre peers use

struct ProcessId {
    Nid nid;
    Pid pid = 0;

    static constexpr ProcessId any() { return ProcessId{Nid::any(), pid_any}; }
    friend constexpr bool operator==(const ProcessId&, const ProcessId&) = default;
};

// "12345-10.0.0.2@tcp" (Lustre's libcfs_id2str form).
std::string format_process_id(ProcessId id);

}  // namespace ostd::lnet
