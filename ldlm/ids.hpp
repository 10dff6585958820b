// Identity types the lock manager shares with the control core: who holds a
// lock (ClientId), which lock (LockHandle) and on what (ResourceName).
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace ostd::ldlm {

// Opaque client identity: the control core maps an export to it. The lock
// manager never looks inside, so it does not depend on lnet_core.
struct ClientId {
    std::uint64_t value = 0;
    friend auto operator<=>(const ClientId&, const ClientId&) = default;
};

// Server-side lock cookie; 0 means "no lock" and is never issued.
struct LockHandle {
    std::uint64_t cookie = 0;
    explicit operator bool() const { return cookie != 0; }
    friend auto operator<=>(const LockHandle&, const LockHandle&) = default;
};

// Lustre resource name: four u64, object id first.
struct ResourceName {
    std::array<std::uint64_t, 4> id{};
    friend auto operator<=>(const ResourceName&, const ResourceName&) = default;
};

// splitmix64 finaliser: a bijection on u64, used for hashing and cookies.
constexpr std::uint64_t mix64(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

}  // namespace ostd::ldlm

template <>
struct std::hash<ostd::ldlm::ClientId> {
    std::size_t operator()(const ostd::ldlm::ClientId& c) const { return ostd::ldlm::mix64(c.value); }
};

template <>
struct std::hash<ostd::ldlm::ResourceName> {
    std::size_t operator()(const ostd::ldlm::ResourceName& r) const {
        std::uint64_t h = 0;
        for (std::uint64_t v : r.id) h = ostd::ldlm::mix64(h ^ v);
        return h;
    }
};
