#include "lnet_core/ptlrpc/ldlm_wire.hpp"

#include <algorithm>
#include <bit>

#include "lnet_core/byte_order.hpp"

namespace ostd::lnet::ptlrpc {
namespace {

LockDesc load_lock_desc(const std::byte* d)
{
    LockDesc desc;
    desc.resource_type = load_le<uint32_t>(d + 0);
    for (size_t i = 0; i < desc.name.size(); ++i)
        desc.name[i] = load_le<uint64_t>(d + 8 + 8 * i);
    desc.req_mode = load_le<uint32_t>(d + 40);
    desc.granted_mode = load_le<uint32_t>(d + 44);
    desc.extent = {load_le<uint64_t>(d + 48), load_le<uint64_t>(d + 56), load_le<uint64_t>(d + 64)};
    return desc;
}

}  // namespace

void encode_lock_desc(const LockDesc& desc, std::span<std::byte, LockDesc::size> out)
{
    std::byte* d = out.data();
    std::fill(out.begin(), out.end(), std::byte{0});
    store_le<uint32_t>(d + 0, desc.resource_type);
    for (size_t i = 0; i < desc.name.size(); ++i)
        store_le<uint64_t>(d + 8 + 8 * i, desc.name[i]);
    store_le<uint32_t>(d + 40, desc.req_mode);
    store_le<uint32_t>(d + 44, desc.granted_mode);
    store_le<uint64_t>(d + 48, desc.extent.start);
    store_le<uint64_t>(d + 56, desc.extent.end);
    store_le<uint64_t>(d + 64, desc.extent.gid);
}

Result<LockDesc, MessageError> decode_lock_desc(std::span<const std::byte> in)
{
    if (in.size() < LockDesc::size)
        return MessageError::short_buffer;
    return load_lock_desc(in.data());
}

size_t LdlmRequest::wire_size() const
{
    size_t slots = std::max<size_t>({handles.size(), lock_count, 2});
    return handles_offset + 8 * slots;
}

std::vector<std::byte> encode_ldlm_request(const LdlmRequest& request)
{
    std::vector<std::byte> out(request.wire_size());
    std::byte* r = out.data();
    store_le<uint32_t>(r + 0, request.flags);
    store_le<uint32_t>(r + 4, request.lock_count);
    encode_lock_desc(request.desc, std::span<std::byte, LockDesc::size>(r + 8, LockDesc::size));
    for (size_t i = 0; i < request.handles.size(); ++i)
        store_le<uint64_t>(r + LdlmRequest::handles_offset + 8 * i, request.handles[i]);
    return out;
}

Result<LdlmRequest, MessageError> decode_ldlm_request(std::span<const std::byte> in)
{
    if (in.size() < LdlmRequest::min_size)
        return MessageError::short_buffer;
    const std::byte* r = in.data();
    LdlmRequest request;
    request.flags = load_le<uint32_t>(r + 0);
    request.lock_count = load_le<uint32_t>(r + 4);
    size_t capacity = (in.size() - LdlmRequest::handles_offset) / 8;
    if (request.lock_count > capacity)
        return MessageError::lock_count_overflow;
    request.desc = load_lock_desc(r + 8);
    request.handles.resize(std::max<size_t>(request.lock_count, 2));
    for (size_t i = 0; i < request.handles.size(); ++i)
        request.handles[i] = load_le<uint64_t>(r + LdlmRequest::handles_offset + 8 * i);
    return request;
}

Result<LdlmRequest, MessageError> check_ldlm_request(std::span<const std::byte> in, bool enqueue)
{
    auto request = decode_ldlm_request(in);
    if (!request || !enqueue)
        return request;
    const LockDesc& desc = request->desc;
    if (desc.resource_type != ldlm_extent_type)
        return MessageError::bad_resource_type;
    if (!std::has_single_bit(desc.req_mode) || desc.req_mode > lock_mode::group)
        return MessageError::bad_lock_mode;
    if (desc.extent.start > desc.extent.end)
        return MessageError::bad_extent;
    return request;
}

std::array<std::byte, LdlmReply::size> encode_ldlm_reply(const LdlmReply& reply)
{
    std::array<std::byte, LdlmReply::size> out{};
    std::byte* r = out.data();
    store_le<uint32_t>(r + 0, reply.flags);
    encode_lock_desc(reply.desc, std::span<std::byte, LockDesc::size>(r + 8, LockDesc::size));
    store_le<uint64_t>(r + 88, reply.handle);
    store_le<uint64_t>(r + 96, reply.policy_res1);
    store_le<uint64_t>(r + 104, reply.policy_res2);
    return out;
}

Result<LdlmReply, MessageError> decode_ldlm_reply(std::span<const std::byte> in)
{
    if (in.size() < LdlmReply::size)
        return MessageError::short_buffer;
    const std::byte* r = in.data();
    LdlmReply reply;
    reply.flags = load_le<uint32_t>(r + 0);
    reply.desc = load_lock_desc(r + 8);
    reply.handle = load_le<uint64_t>(r + 88);
    reply.policy_res1 = load_le<uint64_t>(r + 96);
    reply.policy_res2 = load_le<uint64_t>(r + 104);
    return reply;
}

std::array<std::byte, LdlmIntent::size> encode_ldlm_intent(const LdlmIntent& intent)
{
    std::array<std::byte, LdlmIntent::size> out{};
    store_le<uint64_t>(out.data(), intent.opc);
    return out;
}

Result<LdlmIntent, MessageError> decode_ldlm_intent(std::span<const std::byte> in)
{
    if (in.size() < LdlmIntent::size)
        return MessageError::short_buffer;
    return LdlmIntent{load_le<uint64_t>(in.data())};
}

}  // namespace ostd::lnet::ptlrpc
