#include "lnet_core/request_buffers.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/lnet/capture_sink.hpp"

using namespace ostd::lnet;
using ostd::lnet::testing::CaptureSink;

namespace {

const ProcessId server{Nid::tcp(0x0a000001), 12345};
const ProcessId client{Nid::tcp(0x0a000002), 0x80000001};
constexpr uint64_t tag = 0x5100000000ull;

struct RequestBuffersTest : ::testing::Test {
    EventQueue eq{1024};
    Endpoint endpoint{EndpointConfig{server, 1, 0, max_payload, 1024, 64}};
    CaptureSink tx;

    RequestBuffersConfig config(size_t initial, size_t low_water, size_t max_buffers)
    {
        // Room for exactly 4 requests of up to 100 bytes per buffer.
        return {28, 400, 100, initial, low_water, max_buffers, tag, &eq};
    }
    ReceiveStatus send(uint64_t xid, const std::string& text)
    {
        LnetHeader h;
        h.src_nid = client.nid;
        h.src_pid = client.pid;
        h.dest_nid = server.nid;
        h.dest_pid = server.pid;
        h.payload_length = static_cast<uint32_t>(text.size());
        h.fields = PutFields{WireHandle::none(), xid, 0, 28, 0};
        return endpoint.handle(h, std::as_bytes(std::span(text.data(), text.size())), tx).status;
    }
    std::vector<Request> collect(RequestBuffers& buffers)
    {
        std::vector<Request> requests;
        Event event;
        while (eq.poll(event)) {
            EXPECT_TRUE(buffers.owns(event));
            if (auto request = buffers.on_event(event, tx))
                requests.push_back(*request);
        }
        return requests;
    }
};

std::string text_of(const Request& r) { return std::string(reinterpret_cast<const char*>(r.bytes.data()), r.bytes.size()); }

}  // namespace

TEST_F(RequestBuffersTest, StartMakesThePortalLazyAndPostsTheInitialBuffers)
{
    RequestBuffers buffers(endpoint, config(2, 1, 8));
    ASSERT_TRUE(buffers.start(tx));
    EXPECT_TRUE(endpoint.table().lazy(28));
    EXPECT_EQ(buffers.posted(), 2u);
    EXPECT_EQ(endpoint.table().entries(28), 2u);
}

TEST_F(RequestBuffersTest, RequestsLandOneAfterAnotherAndCarryTheirXid)
{
    RequestBuffers buffers(endpoint, config(1, 1, 8));
    buffers.start(tx);
    send(128, "first");
    send(256, "second");
    auto requests = collect(buffers);
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(text_of(requests[0]), "first");
    EXPECT_EQ(text_of(requests[1]), "second");
    EXPECT_EQ(requests[0].match_bits, 128u);
    EXPECT_EQ(requests[1].peer, client);
    EXPECT_EQ(requests[1].bytes.data(), requests[0].bytes.data() + 5);  // packed in one buffer
    EXPECT_EQ(buffers.held(), 2u);
}

TEST_F(RequestBuffersTest, AFullBufferIsReplacedBelowLowWaterAndRepostedWhenEmptied)
{
    RequestBuffers buffers(endpoint, config(1, 1, 8));
    buffers.start(tx);
    for (int i = 0; i < 4; ++i)  // 4 x 100 bytes fill the 400-byte buffer
        send(128 * (i + 1), std::string(100, 'a' + i));
    auto requests = collect(buffers);
    ASSERT_EQ(requests.size(), 4u);
    EXPECT_EQ(buffers.buffers(), 2u);  // a second one posted to stay at the low-water mark
    EXPECT_EQ(buffers.posted(), 1u);
    EXPECT_EQ(text_of(requests[3]), std::string(100, 'd'));  // still intact: not reposted while held

    for (const Request& r : requests)
        buffers.release(r.buffer, tx);
    EXPECT_EQ(buffers.posted(), 2u);
    EXPECT_EQ(buffers.reposts(), 1u);
    EXPECT_EQ(buffers.held(), 0u);
}

TEST_F(RequestBuffersTest, ABurstBeyondEveryBufferWaitsAndNothingIsDropped)
{
    RequestBuffers buffers(endpoint, config(1, 1, 1));  // never more than one buffer
    buffers.start(tx);
    for (int i = 0; i < 10; ++i)
        EXPECT_NE(send(128 * (i + 1), std::string(100, 'x')), ReceiveStatus::dropped);
    EXPECT_EQ(endpoint.delayed(28), 6u);  // 4 landed, 6 wait on the portal
    size_t served = 0;
    while (served < 10) {
        auto requests = collect(buffers);
        ASSERT_FALSE(requests.empty()) << "stalled after " << served;
        for (const Request& r : requests)
            buffers.release(r.buffer, tx);  // reposting delivers the parked ones
        served += requests.size();
    }
    EXPECT_EQ(served, 10u);
    EXPECT_EQ(endpoint.delayed(28), 0u);
    EXPECT_EQ(endpoint.counters().drops.total(), 0u);
}

TEST_F(RequestBuffersTest, ARequestTooBigForOneSlotIsDropped)
{
    RequestBuffers buffers(endpoint, config(1, 1, 4));
    buffers.start(tx);
    EXPECT_EQ(send(128, std::string(101, 'x')), ReceiveStatus::dropped);
    EXPECT_EQ(endpoint.counters().drops.get(DropReason::too_long), 1u);
}
