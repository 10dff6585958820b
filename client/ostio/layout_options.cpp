#include "client/ostio/layout_options.hpp"

#include "client/ostio/json.hpp"
#include "client/ostio/object_command.hpp"

namespace ostd::client::ostio {

std::optional<uint64_t> parse_size(std::string_view text)
{
    uint64_t unit = 1;
    if (!text.empty()) {
        char last = text.back();
        if (last == 'K' || last == 'k') unit = 1024;
        if (last == 'M' || last == 'm') unit = 1024 * 1024;
        if (last == 'G' || last == 'g') unit = 1024ull * 1024 * 1024;
        if (unit != 1) text.remove_suffix(1);
    }
    auto value = parse_uint(text, 1, (1ull << 40) / unit);
    if (!value) return std::nullopt;
    return *value * unit;
}

lnet::Result<std::optional<Layout>, std::string> read_layout(std::span<const std::string_view> osts,
                                                             const ParsedArgs& args, ObjectId base, uint16_t port)
{
    if (osts.empty()) {
        if (args.has("stripe-size") || args.has("stripe-count"))
            return std::string("--stripe-size and --stripe-count need --ost NID (one per appliance)");
        return std::optional<Layout>();
    }
    std::vector<lnet::Nid> appliances;
    for (std::string_view text : osts) {
        auto nid = parse_target_nid(text);
        if (!nid)
            return "--ost: " + nid.error();
        appliances.push_back(*nid);
    }
    auto size = parse_size(args.value("stripe-size").value_or("1M"));
    if (!size)
        return std::string("--stripe-size: bytes, or with a K, M or G suffix");
    auto count = uint_option(args, "stripe-count", appliances.size(), 1, max_stripe_count);
    if (!count)
        return count.error();
    std::vector<StripeTarget> stripes;
    for (uint32_t i = 0; i < *count; ++i)
        stripes.push_back({appliances[i % appliances.size()], {.id = base.id + i, .seq = base.seq}, port});
    auto layout = Layout::make(*size, std::move(stripes));
    if (!layout)
        return layout.error();
    return std::optional<Layout>(std::move(*layout));
}

std::string layout_text(const Layout& layout)
{
    std::string out = std::to_string(layout.stripe_count()) + (layout.stripe_count() == 1 ? " stripe" : " stripes") +
                      " of " + std::to_string(layout.stripe_size()) + " bytes:";
    for (uint32_t i = 0; i < layout.stripe_count(); ++i)
        out += std::string(i ? "," : "") + " " + object_text(layout.stripe(i).object) + " on " +
               lnet::format_nid(layout.stripe(i).appliance);
    return out;
}

std::string layout_json(const Layout& layout)
{
    std::string out = "{\"stripe_size\":" + std::to_string(layout.stripe_size()) + ",\"stripes\":[";
    for (uint32_t i = 0; i < layout.stripe_count(); ++i)
        out += std::string(i ? "," : "") + "{\"ost\":" + json_string(lnet::format_nid(layout.stripe(i).appliance)) +
               ",\"object\":" + json_string(object_text(layout.stripe(i).object)) + "}";
    return out + "]}";
}

}  // namespace ostd::client::ostio
