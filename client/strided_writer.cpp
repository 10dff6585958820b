#include "client/strided_writer.hpp"

#include <vector>

namespace ostd::client {

namespace {

bool lockahead_possible(const StridedConfig& config)
{
    return config.lockahead && config.writers > 0 && config.stripe_size > 0 && config.batch > 0;
}

}  // namespace

StridedWriter::StridedWriter(OstClient& client, OpenObject& file, const StridedConfig& config)
    : _client(&client), _file(&file), _config(config), _lockahead(lockahead_possible(config))
{
    _flushed = static_cast<bool>(_client->group_lock_flush(*_file, _config.group_id));
    locknoexpand(*_client, *_file, 0);
}

StridedWriter::StridedWriter(StripedFile& file, const StridedConfig& config)
    : _striped(&file), _config(config), _lockahead(lockahead_possible(config))
{
    _flushed = static_cast<bool>(_striped->group_lock_flush(_config.group_id));
    _striped->locknoexpand(0);
}

void StridedWriter::lock_ahead_from(uint64_t offset)
{
    uint64_t stripe = _config.stripe_size;
    uint64_t step = uint64_t{_config.writers} * stripe;
    uint64_t first = offset / stripe * stripe;
    std::vector<LadviseExtent> extents;
    extents.reserve(_config.batch);
    for (uint32_t i = 0; i < _config.batch; ++i) {
        uint64_t start = first + i * step;
        extents.push_back({start, start + stripe - 1});
    }
    ++_stats.batches;
    _stats.extents_requested += extents.size();
    auto results = _striped ? _striped->lockahead(LadviseMode::write, extents, ladvise_flag::async)
                            : lockahead(*_client, *_file, LadviseMode::write, extents, ladvise_flag::async);
    if (!results) {
        _lockahead = false;  // no-expand stays on
        _lockahead_error = results.error();
        return;
    }
    for (LockaheadResult result : *results) {
        switch (result) {
        case LockaheadResult::sent: ++_stats.results_sent; break;
        case LockaheadResult::same: ++_stats.results_same; break;
        case LockaheadResult::different: ++_stats.results_different; break;
        }
    }
    _window_start = first;
    _window_end = extents.back().end + 1;
}

lnet::Result<size_t, std::string> StridedWriter::write(uint64_t offset, std::span<const std::byte> data)
{
    if (_lockahead && (offset < _window_start || offset >= _window_end))
        lock_ahead_from(offset);
    auto written = _striped ? _striped->write(offset, data) : _client->write(*_file, offset, data);
    if (!written)
        return written.error().detail;
    return static_cast<size_t>(*written);
}

}  // namespace ostd::client
