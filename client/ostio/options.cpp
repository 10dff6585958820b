#include "client/ostio/options.hpp"

#include <charconv>
#include <cstdlib>

namespace ostd::client::ostio {

std::optional<std::string_view> ParsedArgs::value(std::string_view name) const
{
    auto it = values.find(name);
    if (it == values.end())
        return std::nullopt;
    return it->second;
}

namespace {

const OptionSpec* find_spec(std::span<const OptionSpec> specs, std::string_view name)
{
    for (const OptionSpec& spec : specs)
        if (spec.name == name)
            return &spec;
    for (const OptionSpec& spec : test_loss_specs)
        if (spec.name == name)
            return &spec;
    return nullptr;
}

lnet::Result<double, std::string> fraction_option(const ParsedArgs& args, std::string_view name, double fallback)
{
    auto text = args.value(name);
    if (!text)
        return fallback;
    std::string copy(*text);
    char* end = nullptr;
    double value = std::strtod(copy.c_str(), &end);
    if (copy.empty() || end != copy.c_str() + copy.size() || !(value >= 0 && value <= 1))
        return "bad --" + std::string(name) + " '" + copy + "': expected a fraction from 0 to 1 (e.g. 0.05)";
    return value;
}

lnet::Result<LossConfig, std::string> loss_options(const ParsedArgs& args)
{
    auto both = fraction_option(args, "test-drop-rate", 0);
    if (!both)
        return both.error();
    auto tx = fraction_option(args, "test-drop-tx-rate", *both);
    auto rx = fraction_option(args, "test-drop-rx-rate", *both);
    auto seed = uint_option(args, "test-drop-seed", 1, 0, UINT64_MAX);
    for (const auto* rate : {&tx, &rx})
        if (!*rate)
            return rate->error();
    if (!seed)
        return seed.error();
    return LossConfig{*tx, *rx, *seed};
}

}  // namespace

lnet::Result<ParsedArgs, std::string> parse_options(std::span<const std::string_view> args,
                                                   std::span<const OptionSpec> specs)
{
    ParsedArgs parsed;
    for (size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (arg == "--") {
            parsed.positional.insert(parsed.positional.end(), args.begin() + static_cast<ptrdiff_t>(i) + 1, args.end());
            break;
        }
        if (!arg.starts_with("--") || arg.size() == 2) {
            if (arg.starts_with("-") && arg.size() > 1)
                return std::string("unknown option '") + std::string(arg) + "'";
            parsed.positional.push_back(arg);
            continue;
        }
        std::string_view name = arg.substr(2);
        std::optional<std::string_view> inline_value;
        if (size_t eq = name.find('='); eq != std::string_view::npos) {
            inline_value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        const OptionSpec* spec = find_spec(specs, name);
        if (!spec)
            return "unknown option '--" + std::string(name) + "'";
        if (!spec->takes_value) {
            if (inline_value)
                return "option '--" + std::string(name) + "' takes no value";
            parsed.values[spec->name] = "";
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= args.size())
                return "option '--" + std::string(name) + "' needs a value";
            inline_value = args[++i];
        }
        parsed.values[spec->name] = *inline_value;
    }
    return parsed;
}

std::optional<uint64_t> parse_uint(std::string_view text, uint64_t min, uint64_t max)
{
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < min || value > max)
        return std::nullopt;
    return value;
}

lnet::Result<uint64_t, std::string> uint_option(const ParsedArgs& args, std::string_view name, uint64_t fallback,
                                                uint64_t min, uint64_t max)
{
    auto text = args.value(name);
    if (!text)
        return fallback;
    if (auto value = parse_uint(*text, min, max))
        return *value;
    return "bad --" + std::string(name) + " '" + std::string(*text) + "': expected an integer from " +
           std::to_string(min) + " to " + std::to_string(max);
}

lnet::Result<lnet::Nid, std::string> parse_target_nid(std::string_view text)
{
    auto nid = lnet::parse_nid(text);
    if (!nid)
        return "bad NID '" + std::string(text) + "' (expected e.g. 10.77.0.1@tcp)";
    if (nid->lnd() != static_cast<uint16_t>(lnet::LndType::socklnd))
        return "cannot reach " + lnet::format_nid(*nid) + " over UDP: only tcp (IPv4) NIDs";
    return *nid;
}

lnet::Result<ConnectionOptions, std::string> connection_options(const ParsedArgs& args)
{
    ConnectionOptions defaults;
    auto port = uint_option(args, "port", defaults.port, 1, 65535);
    auto timeout = uint_option(args, "timeout", 1000, 1, 3'600'000);
    auto resends = uint_option(args, "resends", defaults.resends, 0, 100);
    for (const auto* option : {&port, &timeout, &resends})
        if (!*option)
            return option->error();
    auto loss = loss_options(args);
    if (!loss)
        return loss.error();
    return ConnectionOptions{static_cast<uint16_t>(*port), std::chrono::milliseconds(*timeout),
                             static_cast<unsigned>(*resends), *loss};
}

}  // namespace ostd::client::ostio
