#include "lnet_core/ptlrpc/ladvise_wire.hpp"

#include "lnet_core/byte_order.hpp"

namespace ostd::lnet::ptlrpc {

std::array<std::byte, LadviseHdr::size> encode_ladvise_hdr(const LadviseHdr& hdr)
{
    std::array<std::byte, LadviseHdr::size> out{};
    std::byte* b = out.data();
    store_le<uint32_t>(b + 0, hdr.magic);
    store_le<uint32_t>(b + 4, hdr.count);
    store_le<uint64_t>(b + 8, hdr.flags);
    store_le<uint32_t>(b + 16, hdr.value1);
    store_le<uint32_t>(b + 20, hdr.value2);
    store_le<uint64_t>(b + 24, hdr.value3);
    return out;
}

Result<LadviseHdr, MessageError> decode_ladvise_hdr(std::span<const std::byte> in)
{
    if (in.size() < LadviseHdr::size)
        return MessageError::short_buffer;
    const std::byte* b = in.data();
    LadviseHdr hdr{load_le<uint32_t>(b), load_le<uint32_t>(b + 4), load_le<uint64_t>(b + 8),
                   load_le<uint32_t>(b + 16), load_le<uint32_t>(b + 20), load_le<uint64_t>(b + 24)};
    if (hdr.magic != ladvise_magic)
        return MessageError::bad_ladvise_magic;
    return hdr;
}

std::vector<std::byte> encode_ladvises(std::span<const LuLadvise> advices)
{
    std::vector<std::byte> out(advices.size() * LuLadvise::size);
    for (size_t i = 0; i < advices.size(); ++i) {
        std::byte* b = out.data() + i * LuLadvise::size;
        const LuLadvise& a = advices[i];
        store_le<uint16_t>(b + 0, a.advice);
        store_le<uint16_t>(b + 2, a.mode);
        store_le<uint32_t>(b + 4, a.advice_flags);
        store_le<uint64_t>(b + 8, a.start);
        store_le<uint64_t>(b + 16, a.end);
        store_le<uint32_t>(b + 24, a.result);
        store_le<uint32_t>(b + 28, a.value4);
    }
    return out;
}

Result<std::vector<LuLadvise>, MessageError> decode_ladvises(std::span<const std::byte> in)
{
    if (in.empty())
        return MessageError::short_buffer;
    if (in.size() % LuLadvise::size != 0)
        return MessageError::bad_array_length;
    std::vector<LuLadvise> advices(in.size() / LuLadvise::size);
    for (size_t i = 0; i < advices.size(); ++i) {
        const std::byte* b = in.data() + i * LuLadvise::size;
        advices[i] = {load_le<uint16_t>(b), load_le<uint16_t>(b + 2), load_le<uint32_t>(b + 4),
                      load_le<uint64_t>(b + 8), load_le<uint64_t>(b + 16), load_le<uint32_t>(b + 24),
                      load_le<uint32_t>(b + 28)};
    }
    return advices;
}

}  // namespace ostd::lnet::ptlrpc
