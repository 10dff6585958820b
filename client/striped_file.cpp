#include "client/striped_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace ostd::client {

namespace {

// The weaker of two lockahead answers: a stripe that had to send makes the
// whole extent "sent"; one that was only covered makes it "different".
LockaheadResult weakest(LockaheadResult a, LockaheadResult b)
{
    auto rank = [](LockaheadResult r) {
        return r == LockaheadResult::sent ? 0 : r == LockaheadResult::different ? 1 : 2;
    };
    return rank(a) <= rank(b) ? a : b;
}

}  // namespace

lnet::Result<std::unique_ptr<StripedFile>, std::string> StripedFile::open(const Layout& layout,
                                                                         const OstClientConfig& base,
                                                                         OpenOptions options)
{
    std::unique_ptr<StripedFile> file(new StripedFile(layout, options));
    std::vector<const StripeTarget*> connected;  // per client: the first stripe it serves
    for (const StripeTarget& stripe : layout.stripes()) {
        auto same = std::find_if(connected.begin(), connected.end(), [&](const StripeTarget* c) {
            return c->appliance == stripe.appliance && c->port == stripe.port;
        });
        if (same != connected.end()) {
            file->_client_of.push_back(static_cast<size_t>(same - connected.begin()));
            continue;
        }
        OstClientConfig config = base;
        config.server = stripe.appliance;
        config.port = stripe.port;
        auto client = OstClient::connect(config);
        if (!client && layout.stripe_count() == 1)
            return client.error();
        if (!client)
            return "stripe " + std::to_string(file->_client_of.size()) + " (" + lnet::format_nid(stripe.appliance) +
                   "): " + client.error();
        file->_client_of.push_back(file->_clients.size());
        file->_clients.push_back(std::move(client.value()));
        connected.push_back(&stripe);
    }
    file->chain_poll_hooks();
    return file;
}

StripedFile::StripedFile(const Layout& layout, OpenOptions options) : _layout(layout)
{
    for (const StripeTarget& stripe : layout.stripes())
        _objects.push_back({stripe.object, options.no_expand});
    _written.assign(layout.stripe_count(), false);
}

StripedFile::~StripedFile()
{
    // Our hooks go first: a client disconnecting must not poll the others,
    // which may already be gone.
    for (size_t i = 0; i < _own_hooks.size(); ++i)
        _clients[i]->rpc().set_poll_hook(_own_hooks[i]);
}

void StripedFile::chain_poll_hooks()
{
    if (_clients.size() < 2)
        return;
    for (size_t i = 0; i < _clients.size(); ++i) {
        _own_hooks.push_back(_clients[i]->rpc().poll_hook());
        _clients[i]->rpc().set_poll_hook([this, i] {
            if (_own_hooks[i])
                _own_hooks[i]();
            serve_others(i);
        });
    }
}

void StripedFile::serve_others(size_t waiting)
{
    if (_serving_others)  // the others' polls run their own hooks, not ours again
        return;
    _serving_others = true;
    for (size_t j = 0; j < _clients.size(); ++j)
        if (j != waiting)
            _clients[j]->progress(std::chrono::milliseconds(0));
    _serving_others = false;
}

RpcError StripedFile::on_stripe(uint32_t stripe, RpcError error) const
{
    if (_layout.stripe_count() == 1)
        return error;  // as a plain OstClient says it
    error.detail = "stripe " + std::to_string(stripe) + " (" + lnet::format_nid(_layout.stripe(stripe).appliance) +
                   "): " + error.detail;
    return error;
}

std::vector<OstClient*> StripedFile::clients()
{
    std::vector<OstClient*> out;
    for (auto& client : _clients)
        out.push_back(client.get());
    return out;
}

lnet::Result<uint64_t, RpcError> StripedFile::write(uint64_t offset, std::span<const std::byte> data)
{
    const auto pieces = _layout.split(offset, data.size());
    std::vector<std::byte> gathered;
    for (uint32_t s = 0; s < _layout.stripe_count(); ++s) {
        std::vector<const StripePiece*> mine;
        for (const StripePiece& piece : pieces)
            if (piece.stripe == s)
                mine.push_back(&piece);
        if (mine.empty())
            continue;
        // The stripe's bytes of this call, contiguous in its object: one
        // unit is used in place, several (a row apart in the file) are gathered.
        const uint64_t start = mine.front()->object_offset;
        std::span<const std::byte> bytes = data.subspan(mine.front()->file_offset - offset, mine.front()->length);
        if (mine.size() > 1) {
            gathered.resize(mine.back()->object_offset + mine.back()->length - start);
            for (const StripePiece* piece : mine)
                std::memcpy(gathered.data() + (piece->object_offset - start),
                            data.data() + (piece->file_offset - offset), piece->length);
            bytes = gathered;
        }
        _written[s] = true;
        auto written = client_of(s).write(_objects[s], start, bytes);
        if (!written)
            return on_stripe(s, written.error());
    }
    return data.size();
}

lnet::Result<uint64_t, RpcError> StripedFile::read(uint64_t offset, std::span<std::byte> out)
{
    if (out.empty())
        return uint64_t{0};
    const uint64_t end = offset + out.size();
    const auto pieces = _layout.split(offset, out.size());
    std::vector<std::byte> gathered;
    uint64_t data_end = offset;  // the file byte after the last one any stripe returned
    for (uint32_t s = 0; s < _layout.stripe_count(); ++s) {
        auto extent = _layout.object_extent(s, {offset, end - 1});
        if (!extent)
            continue;
        gathered.resize(extent->end - extent->start + 1);
        auto got = client_of(s).read(_objects[s], extent->start, gathered);
        if (!got)
            return on_stripe(s, got.error());
        for (const StripePiece& piece : pieces) {
            if (piece.stripe != s)
                continue;
            uint64_t at = piece.object_offset - extent->start;
            uint64_t have = *got > at ? std::min(piece.length, *got - at) : 0;
            std::byte* into = out.data() + (piece.file_offset - offset);
            std::memcpy(into, gathered.data() + at, have);
            std::memset(into + have, 0, piece.length - have);
            if (have > 0)
                data_end = std::max(data_end, piece.file_offset + have);
        }
    }
    if (data_end == end || _layout.stripe_count() == 1)
        return data_end - offset;
    // Short: the end of the file, or a hole before data another stripe holds further on.
    auto stat = this->stat();
    if (!stat)
        return stat.error();
    return std::clamp(stat->size, data_end, end) - offset;
}

lnet::Result<bool, RpcError> StripedFile::fsync()
{
    for (uint32_t s = 0; s < _layout.stripe_count(); ++s)
        if (auto synced = _written[s] ? client_of(s).fsync(_objects[s]) : lnet::Result<bool, RpcError>(true); !synced)
            return on_stripe(s, synced.error());
    return true;
}

lnet::Result<StripedStat, RpcError> StripedFile::stat()
{
    StripedStat stat;
    for (uint32_t s = 0; s < _layout.stripe_count(); ++s) {
        auto one = client_of(s).stat(_objects[s]);
        if (!one)
            return on_stripe(s, one.error());
        stat.object_sizes.push_back(one->size);
    }
    stat.size = _layout.file_size(stat.object_sizes);
    return stat;
}

lnet::Result<bool, RpcError> StripedFile::group_lock_flush(uint64_t gid)
{
    for (uint32_t s = 0; s < _layout.stripe_count(); ++s)
        if (auto flushed = client_of(s).group_lock_flush(_objects[s], gid); !flushed)
            return on_stripe(s, flushed.error());
    return true;
}

lnet::Result<bool, RpcError> StripedFile::disconnect()
{
    lnet::Result<bool, RpcError> result = true;
    for (auto& client : _clients)
        if (auto gone = client->disconnect(); !gone && result)
            result = gone.error();
    return result;
}

lnet::Result<size_t, RpcError> StripedFile::progress(std::chrono::milliseconds timeout)
{
    auto share = std::max(std::chrono::milliseconds(1), timeout / static_cast<int64_t>(_clients.size()));
    size_t done = 0;
    for (auto& client : _clients) {
        auto polled = client->progress(timeout.count() == 0 ? timeout : share);
        if (!polled)
            return polled.error();
        done += *polled;
    }
    return done;
}

lnet::Result<std::vector<LockaheadResult>, int> StripedFile::lockahead(LadviseMode mode,
                                                                      std::span<const LadviseExtent> extents,
                                                                      uint64_t flags)
{
    if (extents.size() > lockahead_max_extents)
        return -EFBIG;
    for (const LadviseExtent& extent : extents)
        if (extent.start >= extent.end)
            return -EINVAL;
    std::vector<LockaheadResult> results(extents.size(), LockaheadResult::same);
    for (uint32_t s = 0; s < _layout.stripe_count(); ++s) {
        std::vector<LadviseExtent> mine;
        std::vector<size_t> asked_by;  // the file extent each of mine comes from
        for (size_t i = 0; i < extents.size(); ++i)
            if (auto e = _layout.object_extent(s, {extents[i].start, extents[i].end}); e && e->start < e->end) {
                mine.push_back({e->start, e->end});
                asked_by.push_back(i);
            }
        if (mine.empty())
            continue;
        auto answered = client::lockahead(client_of(s), _objects[s], mode, mine, flags);
        if (!answered)
            return answered.error();
        for (size_t k = 0; k < mine.size(); ++k)
            results[asked_by[k]] = weakest(results[asked_by[k]], (*answered)[k]);
    }
    return results;
}

lnet::Result<bool, int> StripedFile::locknoexpand(uint64_t flags)
{
    for (uint32_t s = 0; s < _layout.stripe_count(); ++s)
        if (auto set = client::locknoexpand(client_of(s), _objects[s], flags); !set)
            return set.error();
    return true;
}

}  // namespace ostd::client
