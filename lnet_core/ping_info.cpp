#include "lnet_core/ping_info.hpp"

#include "lnet_core/byte_order.hpp"

namespace ostd::lnet {

std::vector<std::byte> encode_ping_info(const PingInfo& info)
{
    std::vector<std::byte> out(ping_header_size + info.nis.size() * ping_ni_size);
    store_le<uint32_t>(&out[0], ping_magic);
    store_le<uint32_t>(&out[4], info.features);
    store_le<uint32_t>(&out[8], info.pid);
    store_le<uint32_t>(&out[12], static_cast<uint32_t>(info.nis.size()));
    std::byte* at = out.data() + ping_header_size;
    for (const PingNi& ni : info.nis) {
        store_le<uint64_t>(at, ni.nid.value);
        store_le<uint32_t>(at + 8, ni.status);
        store_le<uint32_t>(at + 12, ni.msg_size);
        at += ping_ni_size;
    }
    return out;
}

std::optional<PingInfo> decode_ping_info(std::span<const std::byte> data)
{
    if (data.size() < ping_header_size || load_le<uint32_t>(&data[0]) != ping_magic)
        return std::nullopt;
    PingInfo info;
    info.features = load_le<uint32_t>(&data[4]);
    info.pid = load_le<uint32_t>(&data[8]);
    uint32_t count = load_le<uint32_t>(&data[12]);
    if (count > (data.size() - ping_header_size) / ping_ni_size)
        return std::nullopt;
    const std::byte* at = data.data() + ping_header_size;
    for (uint32_t i = 0; i < count; ++i, at += ping_ni_size)
        info.nis.push_back({Nid{load_le<uint64_t>(at)}, load_le<uint32_t>(at + 8), load_le<uint32_t>(at + 12)});
    return info;
}

}  // namespace ostd::lnet
