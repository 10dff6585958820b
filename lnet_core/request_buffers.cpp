#include "lnet_core/request_buffers.hpp"

#include <cassert>

namespace ostd::lnet {

RequestBuffers::RequestBuffers(Endpoint& endpoint, const RequestBuffersConfig& config)
    : _endpoint(endpoint), _config(config)
{
    assert((config.tag & tag_mask) == 0 && "the low 32 bits of the tag carry the buffer index");
    assert(config.max_request <= config.buffer_size);
}

Result<bool, AttachError> RequestBuffers::start(TxSink& tx)
{
    if (!_endpoint.set_lazy(_config.portal, true))
        return AttachError::wrong_portal_kind;
    for (size_t i = 0; i < _config.initial; ++i) {
        _buffers.push_back({std::vector<std::byte>(_config.buffer_size), 0, false});
        if (!post(static_cast<uint32_t>(i), tx))
            return AttachError::bad_md;
    }
    return true;
}

bool RequestBuffers::post(uint32_t index, TxSink& tx)
{
    Buffer& buffer = _buffers[index];
    MdSpec md{buffer.memory, md_option::op_put | md_option::max_size, threshold_infinite, _config.max_request,
              true, _config.eq, _config.tag | index};
    MatchSpec me{_config.portal, ProcessId::any(), 0, ~uint64_t{0}};
    buffer.posted = true;  // before attach: parked requests land during it
    ++_posted;
    if (!_endpoint.attach(me, md, Position::after, tx)) {
        buffer.posted = false;
        --_posted;
        return false;
    }
    return true;
}

std::optional<Request> RequestBuffers::on_event(const Event& event, TxSink& tx)
{
    assert(owns(event));
    auto index = static_cast<uint32_t>(event.user_data & tag_mask);
    if (index >= _buffers.size())
        return std::nullopt;
    Buffer& buffer = _buffers[index];
    std::optional<Request> request;
    if (event.type == EventType::put) {
        ++buffer.held;
        request = Request{{event.data, event.mlength}, event.initiator, event.match_bits, index};
    }
    if (event.unlinked && buffer.posted) {
        buffer.posted = false;  // full: LNET let it go; reposted once emptied
        --_posted;
        top_up(tx);
    }
    return request;
}

void RequestBuffers::release(uint32_t index, TxSink& tx)
{
    Buffer& buffer = _buffers[index];
    assert(buffer.held > 0);
    if (--buffer.held == 0 && !buffer.posted) {
        ++_reposts;
        post(index, tx);
    }
}

void RequestBuffers::top_up(TxSink& tx)
{
    while (_posted < _config.low_water && _buffers.size() < _config.max_buffers) {
        _buffers.push_back({std::vector<std::byte>(_config.buffer_size), 0, false});
        if (!post(static_cast<uint32_t>(_buffers.size() - 1), tx))
            return;
    }
}

size_t RequestBuffers::held() const
{
    size_t total = 0;
    for (const Buffer& buffer : _buffers)
        total += buffer.held;
    return total;
}

}  // namespace ostd::lnet
