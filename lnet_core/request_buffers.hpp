// A service's request buffers on one endpoint (Lustre's rqbds): large MDs on a
// lazy, match-any portal, each holding many requests one after another. A
// buffer that fills is unlinked by LNET but its requests stay valid until each
// is released; only then is it posted again. Below the low-water mark of
// buffers ready to receive, more are posted (up to a maximum), so a burst of
// requests waits on the portal's delayed list instead of being dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "lnet_core/endpoint.hpp"

namespace ostd::lnet {

struct RequestBuffersConfig {
    uint32_t portal = 0;
    size_t buffer_size = 64 * 1024;
    uint32_t max_request = 8 * 1024;  // one request takes at most this
    size_t initial = 4;
    size_t low_water = 2;
    size_t max_buffers = 64;
    uint64_t tag = 0;                 // user_data of our MDs: tag | buffer index
    EventQueue* eq = nullptr;
};

// One request as it landed: a view into its buffer, valid until released.
struct Request {
    std::span<const std::byte> bytes;
    ProcessId peer;
    uint64_t match_bits = 0;  // the xid
    uint32_t buffer = 0;      // hand back to release()
};

class RequestBuffers {
public:
    static constexpr uint64_t tag_mask = 0xffffffffull;  // low bits: buffer index

    RequestBuffers(Endpoint& endpoint, const RequestBuffersConfig& config);
    RequestBuffers(const RequestBuffers&) = delete;
    RequestBuffers& operator=(const RequestBuffers&) = delete;

    // Makes the portal lazy and posts the initial buffers.
    Result<bool, AttachError> start(TxSink& tx);

    bool owns(const Event& event) const { return (event.user_data & ~tag_mask) == _config.tag; }
    // A PUT event into one of our buffers: the request, now held. Other events
    // of ours (none expected) give nothing.
    std::optional<Request> on_event(const Event& event, TxSink& tx);
    // The request is served: its buffer may be posted again.
    void release(uint32_t buffer, TxSink& tx);

    size_t buffers() const { return _buffers.size(); }
    size_t posted() const { return _posted; }
    size_t held() const;  // requests not yet released
    uint64_t reposts() const { return _reposts; }

private:
    struct Buffer {
        std::vector<std::byte> memory;
        uint32_t held = 0;
        bool posted = false;
    };

    bool post(uint32_t index, TxSink& tx);
    void top_up(TxSink& tx);

    Endpoint& _endpoint;
    RequestBuffersConfig _config;
    std::vector<Buffer> _buffers;
    size_t _posted = 0;
    uint64_t _reposts = 0;
};

}  // namespace ostd::lnet
