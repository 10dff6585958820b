#include "lnet_core/nid.hpp"

#include <charconv>

namespace ostd::lnet {
namespace {

struct NetName {
    std::string_view name;
    LndType lnd;
};
constexpr NetName net_names[] = {
    {"tcp", LndType::socklnd}, {"o2ib", LndType::o2iblnd}, {"lo", LndType::lolnd}};

std::optional<uint32_t> parse_number(std::string_view text, uint64_t max)
{
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value > max)
        return std::nullopt;
    return static_cast<uint32_t>(value);
}

}  // namespace

std::optional<uint32_t> parse_ipv4(std::string_view text)
{
    uint32_t address = 0;
    for (int octet = 0; octet < 4; ++octet) {
        size_t dot = octet < 3 ? text.find('.') : text.size();
        if (dot == std::string_view::npos)
            return std::nullopt;
        auto part = parse_number(text.substr(0, dot), 255);
        if (!part)
            return std::nullopt;
        address = (address << 8) | *part;
        text.remove_prefix(octet < 3 ? dot + 1 : dot);
    }
    return address;
}

std::string format_ipv4(uint32_t a)
{
    return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 0xff) + "." +
           std::to_string((a >> 8) & 0xff) + "." + std::to_string(a & 0xff);
}

std::optional<Nid> parse_nid(std::string_view text)
{
    if (text == "<?>" || text == "LNET_NID_ANY")
        return Nid::any();
    size_t at = text.find('@');
    if (at == std::string_view::npos)
        return std::nullopt;
    std::string_view address_text = text.substr(0, at);
    std::string_view net_text = text.substr(at + 1);

    for (const NetName& net : net_names) {
        if (net_text.substr(0, net.name.size()) != net.name)
            continue;
        std::string_view number_text = net_text.substr(net.name.size());
        auto number = number_text.empty() ? std::optional<uint32_t>{0}
                                          : parse_number(number_text, 0xffff);
        if (!number)
            return std::nullopt;
        auto address = net.lnd == LndType::lolnd ? parse_number(address_text, 0xffffffffu)
                                                 : parse_ipv4(address_text);
        if (!address)
            return std::nullopt;
        return Nid::make(net.lnd, static_cast<uint16_t>(*number), *address);
    }
    return std::nullopt;
}

std::string format_nid(Nid nid)
{
    if (nid.is_any())
        return "<?>";
    std::string net = "lnd" + std::to_string(nid.lnd()) + "-";
    for (const NetName& known : net_names)
        if (static_cast<uint16_t>(known.lnd) == nid.lnd())
            net = std::string(known.name);
    if (nid.net_number() != 0)
        net += std::to_string(nid.net_number());

    uint32_t a = nid.address();
    std::string address = nid.lnd() == static_cast<uint16_t>(LndType::lolnd)
        ? std::to_string(a)
        : format_ipv4(a);
    return address + "@" + net;
}

std::string format_process_id(ProcessId id)
{
    std::string pid = id.pid == pid_any ? "<?>" : std::to_string(id.pid);
    return pid + "-" + format_nid(id.nid);
}

}  // namespace ostd::lnet
