// A striped file's layout on ostio's command line (DESIGN.md 7):
//
//   --ost NID          an appliance (repeat: one per appliance, in stripe order)
//   --stripe-size S    bytes per stripe unit, or with a K/M/G suffix (default 1M)
//   --stripe-count N   stripes (default: one per --ost); stripe i lives on
//                      the (i mod number of --ost)-th appliance
//
// Stripe i's object is the command's OBJECT plus i (same sequence): object
// 7 striped twice is object 7 on the first appliance and 8 on the second.
// Every appliance is reached on the same --port.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/layout.hpp"
#include "client/ostio/options.hpp"

namespace ostd::client::ostio {

inline constexpr OptionSpec layout_specs[] = {{"stripe-size", true}, {"stripe-count", true}};
inline constexpr std::string_view layout_usage =
    "  --ost NID        stripe over this appliance (repeat, in stripe order);\n"
    "                   then only OBJECT is given, stripe i is object OBJECT+i\n"
    "  --stripe-size S  bytes per stripe unit, or with a K/M/G suffix (default 1M)\n"
    "  --stripe-count N stripes (default one per --ost; stripe i on --ost i mod count)\n";

inline constexpr uint64_t default_stripe_size = 1u << 20;

// Bytes, or with a K, M or G suffix (KiB, MiB, GiB), from 1 to 1 TiB.
std::optional<uint64_t> parse_size(std::string_view text);

// The layout the options name, from the --ost values taken out of the
// arguments (take_repeated). With no --ost: nothing (and the stripe options
// are refused).
lnet::Result<std::optional<Layout>, std::string> read_layout(std::span<const std::string_view> osts,
                                                             const ParsedArgs& args, ObjectId base, uint16_t port);

// One line naming the layout: "2 stripes of 65536 bytes: 7 on 10.77.1.1@tcp, 8 on 10.77.2.1@tcp".
std::string layout_text(const Layout& layout);
std::string layout_json(const Layout& layout);

}  // namespace ostd::client::ostio
