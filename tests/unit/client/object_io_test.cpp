// Object I/O through the client against the in-test OST: bulk moved in
// pieces (GETs for writes, PUTs for reads), RPCs cut at brw_size, every
// byte where it belongs.
#include "client/object_io.hpp"

#include <gtest/gtest.h>

#include "tests/unit/client/ost_harness.hpp"

using namespace ostd;
using namespace ostd::client;
using namespace ostd::client::testing;

TEST(ObjectIo, WriteThenReadIsByteExactAcrossPiecesAndRpcs)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    client->io().set_brw_size(64 * 1024);
    OpenObject file = client->open({.id = 7});
    auto data = pattern(200'000, 1);  // 4 RPCs from offset 1000, ~150 pieces
    ASSERT_TRUE(client->write(file, 1000, data));
    ASSERT_TRUE(client->fsync(file));

    auto stored = h.ost.object(7);
    ASSERT_EQ(stored.size(), 201'000u);
    EXPECT_TRUE(std::equal(data.begin(), data.end(), stored.begin() + 1000));
    EXPECT_EQ(h.ost.count("write"), 4u);  // cut at 64 KiB boundaries
    EXPECT_EQ(client->io().counters().write_rpcs.get(), 4u);

    std::vector<std::byte> back(data.size());
    auto got = client->read(file, 1000, back);
    ASSERT_TRUE(got) << got.error().detail;
    EXPECT_EQ(*got, data.size());
    EXPECT_EQ(back, data);
    EXPECT_EQ(client->io().counters().bytes_read.get(), data.size());
}

TEST(ObjectIo, ReadPastTheEndIsShortAndBulkMdsAreGone)
{
    OstHarness h;
    h.ost.set_object(3, pattern(5000, 2));
    auto client = h.client();
    ASSERT_TRUE(client);
    size_t mds_before = client->transport().endpoint().table().mds().live_count();
    std::vector<std::byte> back(10'000);
    auto got = client->io().read({.id = 3}, 1000, back);
    ASSERT_TRUE(got) << got.error().detail;
    EXPECT_EQ(*got, 4000u);
    auto expect = pattern(5000, 2);
    EXPECT_TRUE(std::equal(back.begin(), back.begin() + 4000, expect.begin() + 1000));
    EXPECT_EQ(client->transport().endpoint().table().mds().live_count(), mds_before);  // bulk MD unlinked
}

TEST(ObjectIo, WriteRequestCarriesMbitsNiobufAndLockHandle)
{
    OstHarness h;
    auto client = h.client();
    ASSERT_TRUE(client);
    auto data = pattern(3000, 3);
    ASSERT_TRUE(client->io().write({.id = 9, .seq = 0}, 4096, data, 0xabcdef));
    auto seen = h.server.requests();
    const ServedRequest& write = seen.back();
    EXPECT_EQ(write.portal, ptlrpc::portal::ost_io);
    EXPECT_EQ(write.body.opc, 4u);
    EXPECT_EQ(write.body.mbits, write.xid);
    ASSERT_EQ(write.buffers.size(), 5u);
    auto body = ptlrpc::decode_obdo(write.buffers[0]);
    EXPECT_EQ(body->handle, 0xabcdefu);
    EXPECT_TRUE(body->valid & ptlrpc::obd_md::handle);
    auto nb = ptlrpc::decode_niobufs(write.buffers[2]);
    ASSERT_EQ(nb->size(), 1u);
    EXPECT_EQ((*nb)[0], (ptlrpc::NiobufRemote{4096, 3000, ptlrpc::obd_brw_write}));
    EXPECT_TRUE(write.buffers[3].empty());
    EXPECT_TRUE(write.buffers[4].empty());
}

TEST(ObjectIo, PunchTruncatesAndGetattrReportsTheSize)
{
    OstHarness h;
    h.ost.set_object(4, pattern(10'000, 4));
    auto client = h.client();
    ASSERT_TRUE(client);
    ASSERT_TRUE(client->punch(client->open({.id = 4}), 2500));
    EXPECT_EQ(h.ost.object(4).size(), 2500u);
    auto attr = client->io().getattr({.id = 4});
    ASSERT_TRUE(attr);
    EXPECT_EQ(attr->size_, 2500u);
    auto resized = client->io().setattr_size({.id = 4}, 100);
    ASSERT_TRUE(resized);
    EXPECT_EQ(h.ost.object(4).size(), 100u);
}
