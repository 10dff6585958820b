// Object store throughput, each backend beside a plain memcpy of the same
// bytes (the ceiling for any store that copies once), and the async front's
// round trip beside a direct call. Writes and reads go to 1 MiB at rotating
// offsets within a 64 MiB object, so after the first pass the file backend
// works in the page cache: this measures the store's own overhead, not a disk.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "objstore/async_store.hpp"
#include "objstore/object_store.hpp"
#include "perf/common/ratio_report.hpp"

namespace ostd::perf::objstore_bench {
namespace {

using namespace ostd::objstore;

constexpr size_t chunk = 1u << 20;
constexpr uint64_t span_bytes = 64u << 20;

std::filesystem::path scratch_dir()
{
    static std::filesystem::path dir = [] {
        std::string templ = (std::filesystem::temp_directory_path() / "objstore_bench.XXXXXX").string();
        if (::mkdtemp(templ.data()) == nullptr)
            std::abort();
        return std::filesystem::path(templ);
    }();
    return dir;
}

ObjectStorePtr make(StoreKind kind)
{
    ObjectStoreConfig config;
    config.kind = kind;
    config.directory = (scratch_dir() / std::string(to_string(kind))).string();
    auto made = make_object_store(config);
    if (!made)
        std::abort();
    ObjectStorePtr store = std::move(made.value());
    std::vector<std::byte> fill(chunk, std::byte{0x5a});
    for (uint64_t at = 0; at < span_bytes; at += chunk)
        (void)store->write(1, at, fill);  // the object exists, fully allocated
    return store;
}

void per_chunk(benchmark::State& state)
{
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(chunk));
}

void memcpy_baseline(benchmark::State& state)
{
    std::vector<std::byte> source(chunk, std::byte{1});
    std::vector<std::byte> target(span_bytes);
    uint64_t at = 0;
    for (auto _ : state) {
        std::memcpy(target.data() + at, source.data(), chunk);
        benchmark::ClobberMemory();
        at = (at + chunk) % span_bytes;
    }
    per_chunk(state);
}

void store_write(benchmark::State& state, StoreKind kind)
{
    ObjectStorePtr store = make(kind);
    std::vector<std::byte> source(chunk, std::byte{1});
    uint64_t at = 0;
    for (auto _ : state) {
        if (!store->write(1, at, source)) {
            state.SkipWithError("write failed");
            break;
        }
        at = (at + chunk) % span_bytes;
    }
    per_chunk(state);
}

void store_read(benchmark::State& state, StoreKind kind)
{
    ObjectStorePtr store = make(kind);
    std::vector<std::byte> target(chunk);
    uint64_t at = 0;
    for (auto _ : state) {
        auto got = store->read(1, at, target);
        if (!got || *got != chunk) {
            state.SkipWithError("read failed");
            break;
        }
        benchmark::DoNotOptimize(target.data());
        at = (at + chunk) % span_bytes;
    }
    per_chunk(state);
}

// One getattr at a time: the cost of a hop to a storage thread and back.
void getattr_direct(benchmark::State& state)
{
    ObjectStorePtr store = make(StoreKind::memory);
    for (auto _ : state)
        benchmark::DoNotOptimize(store->getattr(1));
    state.SetItemsProcessed(state.iterations());
}

void getattr_async(benchmark::State& state)
{
    ObjectStorePtr store = make(StoreKind::memory);
    ObjectStoreConfig config;
    config.threads = 1;
    AsyncStore async(*store, 1, config);
    StoreChannel& channel = async.channel(0);
    StoreCompletion done[1];
    for (auto _ : state) {
        channel.submit(StoreRequest::getattr(1, 0));
        while (channel.poll_completions(done) == 0) {
        }
    }
    state.SetItemsProcessed(state.iterations());
}

// 32 in flight, as a worker with a burst of requests would keep them.
void getattr_async_burst(benchmark::State& state)
{
    ObjectStorePtr store = make(StoreKind::memory);
    ObjectStoreConfig config;
    config.threads = 1;
    config.queue_depth = 32;
    AsyncStore async(*store, 1, config);
    StoreChannel& channel = async.channel(0);
    StoreCompletion done[32];
    for (auto _ : state) {
        for (unsigned i = 0; i < 32; ++i)
            channel.submit(StoreRequest::getattr(1, i));
        for (size_t got = 0; got < 32;)
            got += channel.poll_completions(std::span(done).subspan(0, 32 - got));
    }
    state.SetItemsProcessed(state.iterations() * 32);
}

void register_all()
{
    benchmark::RegisterBenchmark("objstore/write/memcpy", memcpy_baseline);
    benchmark::RegisterBenchmark("objstore/write/memory", store_write, StoreKind::memory);
    benchmark::RegisterBenchmark("objstore/write/file", store_write, StoreKind::file);
    benchmark::RegisterBenchmark("objstore/read/memory", store_read, StoreKind::memory);
    benchmark::RegisterBenchmark("objstore/read/file", store_read, StoreKind::file);
    benchmark::RegisterBenchmark("objstore/getattr/direct", getattr_direct);
    benchmark::RegisterBenchmark("objstore/getattr/async", getattr_async)->UseRealTime();
    benchmark::RegisterBenchmark("objstore/getattr/async_burst32", getattr_async_burst)->UseRealTime();
}

const RatioCheck checks[] = {
    {"memory write vs memcpy (1 MiB)", "objstore/write/memory", "objstore/write/memcpy", Bound::at_most, 2},
    {"memory read vs memcpy (1 MiB)", "objstore/read/memory", "objstore/write/memcpy", Bound::at_most, 2},
    {"file write vs memory write (page cache)", "objstore/write/file", "objstore/write/memory", Bound::at_most, 4},
    {"file read vs memory read (page cache)", "objstore/read/file", "objstore/read/memory", Bound::at_most, 4},
    {"async getattr round trip vs direct call", "objstore/getattr/async/real_time", "objstore/getattr/direct", Bound::at_most, 200},
    {"async getattr, 32 in flight vs direct call", "objstore/getattr/async_burst32/real_time", "objstore/getattr/direct",
     Bound::at_most, 50},
};

}  // namespace
}  // namespace ostd::perf::objstore_bench

int main(int argc, char** argv)
{
    ostd::perf::objstore_bench::register_all();
    int rc = ostd::perf::run_with_ratios(argc, argv, ostd::perf::objstore_bench::checks);
    std::filesystem::remove_all(ostd::perf::objstore_bench::scratch_dir());
    return rc;
}
