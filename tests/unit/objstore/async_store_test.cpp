// The worker's front: submit never waits for storage, every completion comes
// back once to the channel that asked, a full channel pushes back.
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "objstore/async_store.hpp"
#include "tests/unit/objstore/test_support.hpp"

namespace ostd::objstore::test {
namespace {

// Polls `channel` until `count` completions have arrived (or a deadline).
std::vector<StoreCompletion> collect(StoreChannel& channel, size_t count)
{
    std::vector<StoreCompletion> got;
    std::vector<StoreCompletion> burst(32);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (got.size() < count && std::chrono::steady_clock::now() < deadline) {
        size_t n = channel.poll_completions(burst);
        got.insert(got.end(), burst.begin(), burst.begin() + n);
        if (n == 0)
            std::this_thread::yield();
    }
    return got;
}

using AsyncStoreTest = StoreTest;

TEST_P(AsyncStoreTest, EveryCompletionReachesItsOwnWorkerOnce)
{
    ObjectStoreConfig c = config();
    c.threads = 3;
    c.queue_depth = 16;
    constexpr unsigned workers = 3;
    constexpr uint64_t per_worker = 300;
    AsyncStore async(*store, workers, c);
    std::vector<std::vector<StoreCompletion>> seen(workers);
    std::vector<std::thread> threads;
    for (unsigned w = 0; w < workers; ++w)
        threads.emplace_back([&, w] {
            StoreChannel& channel = async.channel(w);
            std::vector<std::vector<std::byte>> data;
            for (uint64_t i = 0; i < per_worker; ++i)
                data.push_back(pattern(1000, i * 1000, w));
            std::vector<StoreCompletion> burst(8);
            for (uint64_t i = 0; i < per_worker;) {
                const uint64_t cookie = (uint64_t{w} << 32) | i;
                if (channel.submit(StoreRequest::write(w + 1, i * 1000, data[i], cookie)))
                    ++i;
                size_t n = channel.poll_completions(burst);
                seen[w].insert(seen[w].end(), burst.begin(), burst.begin() + n);
            }
            auto rest = collect(channel, per_worker - seen[w].size());
            seen[w].insert(seen[w].end(), rest.begin(), rest.end());
        });
    for (auto& thread : threads)
        thread.join();
    for (unsigned w = 0; w < workers; ++w) {
        ASSERT_EQ(seen[w].size(), per_worker) << "worker " << w;
        std::vector<bool> once(per_worker, false);
        for (const StoreCompletion& done : seen[w]) {
            EXPECT_EQ(done.cookie >> 32, w) << "a completion reached the wrong worker";
            const uint64_t i = done.cookie & 0xffffffff;
            ASSERT_LT(i, per_worker);
            EXPECT_FALSE(once[i]) << "cookie " << i << " delivered twice";
            once[i] = true;
            EXPECT_EQ(done.status, 0);
            EXPECT_EQ(done.bytes, 1000u);
            EXPECT_EQ(done.op, StoreOp::write);
        }
        StoreChannel& channel = async.channel(w);
        EXPECT_EQ(channel.in_flight(), 0u);
        EXPECT_EQ(channel.counters().completed[size_t(StoreOp::write)].get(), per_worker);
        EXPECT_EQ(channel.counters().bytes_written.get(), per_worker * 1000);
        std::vector<StoreCompletion> extra(4);
        EXPECT_EQ(channel.poll_completions(extra), 0u);
        EXPECT_EQ(read(w + 1, 0, per_worker * 1000), pattern(per_worker * 1000, 0, w));
    }
}

TEST_P(AsyncStoreTest, AFullChannelPushesBackUntilPolled)
{
    ObjectStoreConfig c = config();
    c.queue_depth = 4;
    AsyncStore async(*store, 1, c);
    StoreChannel& channel = async.channel(0);
    for (uint64_t i = 0; i < 4; ++i)
        ASSERT_TRUE(channel.submit(StoreRequest::set_size(1, 100 * (i + 1), i)));
    EXPECT_FALSE(channel.submit(StoreRequest::getattr(1, 99)));
    EXPECT_FALSE(channel.submit(StoreRequest::getattr(1, 99)));
    EXPECT_EQ(channel.counters().pushbacks.get(), 2u);
    auto got = collect(channel, 4);
    ASSERT_EQ(got.size(), 4u);
    EXPECT_TRUE(channel.submit(StoreRequest::getattr(1, 99)));
    auto attr = collect(channel, 1);
    ASSERT_EQ(attr.size(), 1u);
    EXPECT_EQ(attr[0].cookie, 99u);
    EXPECT_EQ(attr[0].status, 0);
    EXPECT_GE(attr[0].attr.size, 100u);
}

TEST_P(AsyncStoreTest, EveryOperationCompletesWithItsResult)
{
    AsyncStore async(*store, 1, config());
    StoreChannel& channel = async.channel(0);
    auto data = pattern(200000, 10, 5);
    std::vector<std::byte> back(300000);
    auto run = [&](const StoreRequest& request) {
        EXPECT_TRUE(channel.submit(request));
        auto got = collect(channel, 1);
        EXPECT_EQ(got.size(), 1u);
        return got.empty() ? StoreCompletion{} : got[0];
    };
    EXPECT_EQ(run(StoreRequest::write(5, 10, data, 1)).bytes, data.size());
    auto read_back = run(StoreRequest::read(5, 10, back, 2));
    EXPECT_EQ(read_back.bytes, data.size());
    EXPECT_TRUE(std::equal(data.begin(), data.end(), back.begin()));
    EXPECT_EQ(run(StoreRequest::punch(5, 0, 100000, 3)).attr.size, 200010u);
    EXPECT_EQ(run(StoreRequest::set_size(5, 50, 4)).attr.size, 50u);
    EXPECT_EQ(run(StoreRequest::getattr(5, 5)).attr.size, 50u);
    EXPECT_EQ(run(StoreRequest::sync(5, 6)).status, 0);
    EXPECT_EQ(run(StoreRequest::remove(5, 7)).status, 0);
    auto missing = run(StoreRequest::getattr(5, 8));
    EXPECT_EQ(missing.status, -ENOENT);
    EXPECT_EQ(missing.error.object, 5u);
    EXPECT_EQ(missing.cookie, 8u);
    EXPECT_EQ(channel.counters().errors.get(), 1u);
    EXPECT_EQ(channel.counters().completed[size_t(StoreOp::getattr)].get(), 2u);
}

// TBB numbers an arena's slots its own way (an arena of one thread runs its
// tasks in slot 1): whatever the slot, the completion must arrive.
TEST_P(AsyncStoreTest, OneStorageThreadDeliversEveryCompletion)
{
    ObjectStoreConfig c = config();
    c.threads = 1;
    c.queue_depth = 8;
    AsyncStore async(*store, 2, c);
    for (unsigned w = 0; w < 2; ++w) {
        StoreChannel& channel = async.channel(w);
        for (uint64_t i = 0; i < 8; ++i)
            ASSERT_TRUE(channel.submit(StoreRequest::set_size(w, i, i)));
        EXPECT_EQ(collect(channel, 8).size(), 8u);
    }
}

OBJSTORE_BOTH_BACKENDS(AsyncStoreTest);

// A store whose operations wait for a gate: storage that is stuck.
class GatedStore final : public ObjectStore {
public:
    void open_gate()
    {
        std::lock_guard guard(_lock);
        _open = true;
        _changed.notify_all();
    }
    std::atomic<unsigned> entered{0};

    StoreKind kind() const override { return StoreKind::memory; }
    StoreResult<size_t> write(uint64_t, uint64_t, std::span<const std::byte> d) override { wait(); return d.size(); }
    StoreResult<size_t> read(uint64_t, uint64_t, std::span<std::byte>) override { wait(); return size_t{0}; }
    StoreResult<ObjectAttr> getattr(uint64_t) override { wait(); return ObjectAttr{}; }
    StoreResult<ObjectAttr> set_size(uint64_t, uint64_t) override { wait(); return ObjectAttr{}; }
    StoreResult<ObjectAttr> punch(uint64_t, uint64_t, uint64_t) override { wait(); return ObjectAttr{}; }
    StoreResult<Done> sync(uint64_t) override { wait(); return Done{}; }
    StoreResult<Done> remove(uint64_t) override { wait(); return Done{}; }
    std::vector<ObjectInfo> list() override { return {}; }

private:
    void wait()
    {
        entered.fetch_add(1);
        std::unique_lock guard(_lock);
        _changed.wait(guard, [&] { return _open; });
    }
    std::mutex _lock;
    std::condition_variable _changed;
    bool _open = false;
};

TEST(AsyncStoreBlockingTest, SubmitReturnsWhileStorageIsStuck)
{
    GatedStore gated;
    ObjectStoreConfig c;
    c.threads = 2;
    c.queue_depth = 8;
    {
        AsyncStore async(gated, 1, c);
        StoreChannel& channel = async.channel(0);
        for (uint64_t i = 0; i < 8; ++i)
            ASSERT_TRUE(channel.submit(StoreRequest::sync(1, i)));  // returns although nothing completes
        EXPECT_FALSE(channel.submit(StoreRequest::sync(1, 8)));
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (gated.entered.load() < 2 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        EXPECT_EQ(gated.entered.load(), 2u);  // both storage threads are busy, and stuck
        std::vector<StoreCompletion> none(8);
        EXPECT_EQ(channel.poll_completions(none), 0u);
        gated.open_gate();
        EXPECT_EQ(collect(channel, 8).size(), 8u);
    }  // the destructor returns: nothing left in flight
}

}  // namespace
}  // namespace ostd::objstore::test
