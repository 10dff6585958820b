#include "client/ladvise.hpp"

#include <cerrno>

namespace ostd::client {

namespace {

namespace flag = ptlrpc::ldlm_flag;

uint32_t lock_mode_of(LadviseMode mode)
{
    return mode == LadviseMode::write ? ptlrpc::lock_mode::pw : ptlrpc::lock_mode::pr;
}

// Checks the whole request before anything is sent: 0 or a negative errno.
int validate(LadviseMode mode, std::span<const LadviseExtent> extents, uint64_t flags)
{
    if (extents.size() > lockahead_max_extents)
        return -EFBIG;
    if (mode != LadviseMode::read && mode != LadviseMode::write)
        return -EINVAL;
    if ((flags & ~ladvise_flag::async) != 0)
        return -EINVAL;
    for (const LadviseExtent& extent : extents)
        if (extent.start >= extent.end)
            return -EINVAL;
    return 0;
}

lnet::Result<LockaheadResult, int> lock_one_async(OstClient& client, ObjectId object, uint32_t mode, Extent extent)
{
    if (const ClientLock* held = client.locks().find_covering(object, mode, extent)) {
        bool granted = held->state == LockState::granted && !held->async;
        return (granted ? held->extent : held->requested) == extent ? LockaheadResult::same
                                                                    : LockaheadResult::different;
    }
    auto sent = client.locks().enqueue_async(object, mode, extent, flag::speculative | flag::no_expansion);
    if (!sent)
        return rpc_errno(sent.error());
    return LockaheadResult::sent;
}

lnet::Result<LockaheadResult, int> lock_one_sync(OstClient& client, ObjectId object, uint32_t mode, Extent extent)
{
    auto lock = client.locks().acquire(object, mode, extent, flag::no_expansion);
    if (!lock)
        return rpc_errno(lock.error());
    client.locks().release(**lock);
    return LockaheadResult::sent;
}

}  // namespace

int rpc_errno(const RpcError& error)
{
    if (error.code == RpcErrc::timeout)
        return -ETIMEDOUT;
    if (error.code == RpcErrc::refused && error.status < 0)
        return error.status;
    return -EIO;
}

std::string_view lockahead_result_name(LockaheadResult result)
{
    switch (result) {
    case LockaheadResult::sent: return "sent";
    case LockaheadResult::different: return "different";
    case LockaheadResult::same: return "same";
    }
    return "?";
}

lnet::Result<std::vector<LockaheadResult>, int> lockahead(OstClient& client, const OpenObject& file, LadviseMode mode,
                                                          std::span<const LadviseExtent> extents, uint64_t flags)
{
    if (int invalid = validate(mode, extents, flags); invalid != 0)
        return invalid;
    uint32_t lock_mode = lock_mode_of(mode);
    bool async = (flags & ladvise_flag::async) != 0;
    client.locks().collect_async();  // what has come back so far counts as held (or gone)
    std::vector<LockaheadResult> results;
    results.reserve(extents.size());
    for (const LadviseExtent& e : extents) {
        Extent extent{e.start, e.end};
        auto one = async ? lock_one_async(client, file.object, lock_mode, extent)
                         : lock_one_sync(client, file.object, lock_mode, extent);
        if (!one)
            return one.error();
        results.push_back(*one);
    }
    return results;
}

lnet::Result<bool, int> locknoexpand(OstClient& client, OpenObject& file, uint64_t flags)
{
    if ((flags & ~ladvise_flag::unset) != 0)
        return -EINVAL;
    client.set_no_expand(file, (flags & ladvise_flag::unset) == 0);
    return true;
}

}  // namespace ostd::client
