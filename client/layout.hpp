// A striped file's layout (DESIGN.md 7), kept by the client as Lustre's lov
// keeps it: RAID0 over stripe_count objects, each on an appliance. File
// stripe unit u (bytes [u × S, (u + 1) × S), S the stripe size) lives on
// stripe u mod count, in that stripe's object at unit u div count:
//
//   file offset f  ->  stripe (f / S) mod count,
//                      object offset (f / (S × count)) × S + f mod S
//
// and back. A file's size is the largest file size any stripe's object size
// implies (lov_merge): an object of size s > 0 ends at the file byte its
// byte s − 1 maps to.
//
//   auto layout = Layout::make(1 << 20, {{nid_a, {.id = 7}}, {nid_b, {.id = 8}}});
//   layout->to_object(3 << 20)   // {stripe 1, object offset 1 MiB}
//
// Offsets are below 2^63 (as every caller's are); object_eof stays "to the end".
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "client/lock_cache.hpp"
#include "client/object_io.hpp"
#include "client/socket_address.hpp"
#include "lnet_core/nid.hpp"
#include "lnet_core/result.hpp"

namespace ostd::client {

struct StripeTarget {
    lnet::Nid appliance;
    ObjectId object;
    uint16_t port = lnet_port;  // the appliance's UDP port
};

// Where one file byte lives.
struct StripeOffset {
    uint32_t stripe = 0;
    uint64_t object_offset = 0;
    friend bool operator==(const StripeOffset&, const StripeOffset&) = default;
};

// A run of file bytes inside one stripe unit: contiguous in the file and
// in the stripe's object.
struct StripePiece {
    uint32_t stripe = 0;
    uint64_t file_offset = 0;
    uint64_t object_offset = 0;
    uint64_t length = 0;
    friend bool operator==(const StripePiece&, const StripePiece&) = default;
};

inline constexpr uint32_t max_stripe_count = 64;

class Layout {
public:
    // stripe_size > 0; 1 to max_stripe_count stripes; no object named twice
    // on one appliance (two stripes would overwrite each other).
    static lnet::Result<Layout, std::string> make(uint64_t stripe_size, std::vector<StripeTarget> stripes);
    // One 1 MiB stripe on no appliance in particular (lnet::Result needs a default).
    Layout() : _stripe_size(1u << 20), _stripes(1) {}

    uint64_t stripe_size() const { return _stripe_size; }
    uint32_t stripe_count() const { return static_cast<uint32_t>(_stripes.size()); }
    uint64_t stripe_width() const { return _stripe_size * stripe_count(); }  // one row of units
    const StripeTarget& stripe(uint32_t index) const { return _stripes.at(index); }
    std::span<const StripeTarget> stripes() const { return _stripes; }

    StripeOffset to_object(uint64_t file_offset) const;
    uint64_t to_file(uint32_t stripe, uint64_t object_offset) const;

    // [offset, offset + length) cut at stripe-unit boundaries, in file order.
    std::vector<StripePiece> split(uint64_t offset, uint64_t length) const;

    // The bytes of stripe `stripe` inside the file extent (end inclusive;
    // object_eof: to the end) as an object extent, contiguous in the object;
    // nothing if the extent holds none of that stripe's bytes.
    std::optional<Extent> object_extent(uint32_t stripe, Extent file) const;

    // The file size stripe `stripe`'s object size implies (0 for 0).
    uint64_t file_size(uint32_t stripe, uint64_t object_size) const;
    // The file's size from every stripe's object size (one per stripe, in order).
    uint64_t file_size(std::span<const uint64_t> object_sizes) const;

private:
    Layout(uint64_t stripe_size, std::vector<StripeTarget> stripes)
        : _stripe_size(stripe_size), _stripes(std::move(stripes)) {}

    uint64_t _stripe_size;
    std::vector<StripeTarget> _stripes;
};

}  // namespace ostd::client
