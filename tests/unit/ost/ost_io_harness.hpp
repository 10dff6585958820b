// A worker's OST I/O engine between two real lnet::Endpoints wired together in
// memory: the server (the engine's) and a client that posts its requests,
// reply MEs and bulk MDs as a Lustre client does. A memory object store behind
// an AsyncStore (storage threads), a test clock for timeouts.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <thread>

#include "control/ost/ost_io.hpp"
#include "lnet_core/ptlrpc/message.hpp"
#include "lnet_core/ptlrpc/rpc_layout.hpp"
#include "objstore/async_store.hpp"

namespace ostd::control::ost::testing {

namespace ptlrpc = lnet::ptlrpc;

inline const lnet::ProcessId server_id{lnet::Nid::tcp(0x0a4d0001), lnet::lustre_pid};
inline const lnet::ProcessId client_id{lnet::Nid::tcp(0x0a4d0002), 0x80000042};
inline constexpr uint64_t export_handle = 0xfeedface12345678;
inline constexpr uint64_t service_tag = uint64_t{3} << 48;

// One direction of the wire: what an endpoint sent, not yet delivered.
struct Wire : lnet::TxSink {
    struct Message {
        lnet::LnetHeader header;
        std::vector<std::byte> payload;
    };
    bool transmit(const lnet::LnetHeader& header, std::span<const std::byte> payload) override
    {
        queue.push_back({header, {payload.begin(), payload.end()}});
        return true;
    }
    std::deque<Message> queue;
};

struct Reply {
    ptlrpc::PtlrpcBody body;
    std::vector<std::vector<std::byte>> buffers;  // 1..
};

class OstIoHarness {
public:
    // server_eq_size: the engine's event queue (tiny, to make it fill).
    explicit OstIoHarness(uint32_t max_payload = 1376, size_t server_eq_size = 8192)
        : server_eq(server_eq_size), _max_payload(max_payload)
    {
        objstore::ObjectStoreConfig store_config;
        store_config.memory_limit = 64u << 20;
        store = std::move(objstore::make_object_store(store_config).value());
        async = std::make_unique<objstore::AsyncStore>(*store, 1, store_config);
        lnet::EndpointConfig sc{server_id, 0xabc1, 0, max_payload, 1024, 1024};
        lnet::EndpointConfig cc{client_id, 0xabc2, 0, max_payload, 1024, 1024};
        server = std::make_unique<lnet::Endpoint>(sc);
        client = std::make_unique<lnet::Endpoint>(cc);
        OstIoConfig config;
        config.buffers.portal = ptlrpc::portal::ost_io;
        config.buffers.buffer_size = 64 * 1024;
        config.buffers.max_request = 8192;
        config.tag = service_tag;
        config.max_payload = max_payload;
        config.window = 8;
        ost = std::make_unique<OstIo>(*server, server_eq, async->channel(0), config);
        EXPECT_TRUE(ost->start(to_client));
        ost->exports().connected(export_handle, client_id);
        ost->on_size_change([this](const SizeChange& change) { sizes.push_back(change); });
    }

    ~OstIoHarness()
    {
        ost.reset();
        async.reset();  // waits for storage in flight
    }

    // Delivers what is on the wire both ways and runs the engine, until nothing
    // moves and no storage is in flight (or `until` holds), bounded in real time.
    void pump(const std::function<bool()>& until = {})
    {
        auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (std::chrono::steady_clock::now() < limit) {
            bool moved = false;
            while (!to_server.queue.empty()) {
                auto m = std::move(to_server.queue.front());
                to_server.queue.pop_front();
                bool is_reply = std::holds_alternative<lnet::ReplyFields>(m.header.fields);
                moved = true;
                if (!(is_reply && drop_client_replies) &&
                    server->handle(m.header, m.payload, to_client).status == lnet::ReceiveStatus::pushback) {
                    to_server.queue.push_front(std::move(m));  // kept, as a worker does, until the EQ drains
                    break;
                }
            }
            while (!to_client.queue.empty()) {
                auto m = std::move(to_client.queue.front());
                to_client.queue.pop_front();
                if (hold_server_messages) {
                    held.push_back(std::move(m));
                    continue;
                }
                client->handle(m.header, m.payload, to_server);
                moved = true;
            }
            lnet::Event event;
            while (server_eq.poll(event)) {
                ost->on_event(event, to_client, now);
                moved = true;
            }
            moved = ost->poll(to_client, now) > 0 || moved;
            if (until && until())
                return;
            if (!moved && !until && async->channel(0).in_flight() == 0 && to_client.queue.empty())
                return;
            if (!moved)
                std::this_thread::sleep_for(std::chrono::microseconds(50));
        }
        ADD_FAILURE() << "pump: no end in 5 s";
    }

    // Sends a request as a client does: a reply ME for the xid, then the PUT.
    void send(ptlrpc::Opcode opc, uint64_t xid, std::initializer_list<std::span<const std::byte>> buffers,
              uint32_t flags = 0, uint64_t handle = export_handle, uint32_t portal = ptlrpc::portal::ost_io)
    {
        reply_memory.assign(16384, std::byte{0});
        lnet::MdSpec reply_md{reply_memory, lnet::md_option::op_put, 1, 0, true, &client_eq, 1};
        ASSERT_TRUE(client->attach({ptlrpc::portal::osc_reply, server_id, xid, 0}, reply_md, lnet::Position::after,
                                   to_server));
        ptlrpc::PtlrpcBody body;
        body.handle = handle;
        body.flags = flags;
        body.mbits = xid;
        request_memory = ptlrpc::build_request(opc, body, buffers);
        auto md = client->bind({request_memory, 0, 1, 0, true, nullptr, 0});
        ASSERT_TRUE(md);
        ASSERT_EQ(client->put(*md, server_id, portal, xid, {}, to_server), lnet::SendStatus::sent);
    }

    // The client's bulk MD for an RPC (portal 8, match bits = xid).
    void post_bulk(uint64_t xid, std::vector<std::byte>& memory, bool server_writes_into_it)
    {
        // manage_remote both ways, as client/bulk.cpp posts it: a GET sent again
        // reads the same bytes.
        uint32_t options = (server_writes_into_it ? lnet::md_option::op_put : lnet::md_option::op_get) |
                           lnet::md_option::manage_remote;
        lnet::MdSpec md{memory, options, lnet::threshold_infinite, 0, false, &client_eq, 2};
        auto handle = client->attach({ptlrpc::portal::ost_bulk, server_id, xid, 0}, md, lnet::Position::after,
                                     to_server);
        ASSERT_TRUE(handle);
        bulk_mds.push_back(*handle);
    }

    // The reply that landed in the reply ME (at 224: AT_SUPPORT is on).
    std::optional<Reply> reply()
    {
        lnet::Event event;
        while (client_eq.poll(event))
            if (event.user_data == 1 && event.type == lnet::EventType::put) {
                auto message = ptlrpc::decode_message(std::span<const std::byte>(event.data, event.mlength));
                if (!message)
                    return std::nullopt;
                Reply out;
                out.body = ptlrpc::decode_ptlrpc_body(message->buffer(0)).value();
                for (size_t i = 1; i < message->bufcount; ++i)
                    out.buffers.emplace_back(message->buffer(i).begin(), message->buffer(i).end());
                return out;
            }
        return std::nullopt;
    }

    std::unique_ptr<objstore::ObjectStore> store;
    std::unique_ptr<objstore::AsyncStore> async;
    lnet::EventQueue server_eq;
    lnet::EventQueue client_eq{8192};
    std::unique_ptr<lnet::Endpoint> server;
    std::unique_ptr<lnet::Endpoint> client;
    std::unique_ptr<OstIo> ost;
    Wire to_server, to_client;
    std::deque<Wire::Message> held;
    bool drop_client_replies = false;
    bool hold_server_messages = false;
    Clock::time_point now = Clock::now();
    std::vector<SizeChange> sizes;
    std::vector<std::byte> reply_memory;
    std::vector<std::byte> request_memory;
    std::vector<lnet::MdHandle> bulk_mds;

private:
    uint32_t _max_payload;
};

// n bytes that differ with the seed and along the buffer.
inline std::vector<std::byte> pattern(size_t n, uint8_t seed)
{
    std::vector<std::byte> out(n);
    for (size_t i = 0; i < n; ++i)
        out[i] = std::byte(static_cast<uint8_t>(seed + i * 7 + (i >> 8)));
    return out;
}

// Request buffers of OST_WRITE/OST_READ for one object.
struct Brw {
    std::array<std::byte, ptlrpc::Obdo::size> body;
    std::vector<std::byte> ioobj;
    std::vector<std::byte> niobufs;

    Brw(uint64_t object, std::initializer_list<ptlrpc::NiobufRemote> ranges)
    {
        ptlrpc::Obdo obdo;
        obdo.valid = ptlrpc::obd_md::id | ptlrpc::obd_md::group;
        obdo.id = object;
        body = ptlrpc::encode_obdo(obdo);
        ptlrpc::ObdIoobj io{object, 0, 0, static_cast<uint32_t>(ranges.size())};
        ioobj = ptlrpc::encode_ioobjs(std::span(&io, 1));
        std::vector<ptlrpc::NiobufRemote> list(ranges);
        niobufs = ptlrpc::encode_niobufs(list);
    }
};

}  // namespace ostd::control::ost::testing
