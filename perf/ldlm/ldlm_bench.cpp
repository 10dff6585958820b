// Extent lock manager benchmarks, each beside its baselines (the list
// reference and the kernel's OFD locks), with the ratios the issue asks for.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <memory>
#include <vector>

#include "ldlm/namespace.hpp"
#include "ldlm/reference/list_lock_manager.hpp"
#include "perf/common/ratio_report.hpp"
#include "perf/ldlm/ofd_baseline.hpp"

namespace ostd::perf::ldlm {
namespace {

using namespace ostd::ldlm;
using reference::ListLockManager;

constexpr std::uint64_t MiB = 1 << 20;
constexpr std::uint64_t stride = 4 * MiB;  // held lock i: [i * stride, + 1 MiB)
constexpr std::uint64_t held_clients = 16;
constexpr ClientId requester{1000};
const ResourceName object{{42, 0, 0, 0}};

EnqueueRequest pw_request(ClientId client, std::uint64_t handle, std::uint64_t start,
                          std::uint64_t len, LockFlags flags) {
    EnqueueRequest r;
    r.resource = object;
    r.mode = LockMode::pw;
    r.extent = {start, start + len - 1};
    r.flags = flags;
    r.client = client;
    r.client_handle = handle;
    return r;
}

EnqueueRequest held_request(std::uint64_t i, std::uint64_t handle) {
    return pw_request(ClientId{1 + i % held_clients}, handle, i * stride, MiB, flag::no_expansion);
}

// Visits the gaps in a scattered order, so that successive iterations do not
// reuse one warm path through the tree.
std::uint64_t gap(std::uint64_t iteration, std::uint64_t k) { return (iteration * 7919) % k; }

// K held locks per manager, built once per K and reused by every run.
template <class Manager>
struct Held {
    std::unique_ptr<Manager> manager = std::make_unique<Manager>();
    std::vector<LockHandle> handles;
    std::uint64_t next_handle = 1;
};

// Set-up only: ours through enqueue; the list through its unchecked preload
// (K enqueues on a list cost K^2).
LockHandle add_held(LockNamespace& m, const EnqueueRequest& r) { return m.enqueue(r).handle; }
LockHandle add_held(ListLockManager& m, const EnqueueRequest& r) { return m.preload_granted(r); }

template <class Manager>
void fill(Held<Manager>& h, std::uint64_t k) {
    for (std::uint64_t i = 0; i < k; ++i)
        h.handles.push_back(add_held(*h.manager, held_request(i, h.next_handle++)));
}

template <class Manager>
Held<Manager>& held(std::uint64_t k) {
    static std::map<std::uint64_t, std::unique_ptr<Held<Manager>>> cache;
    auto& slot = cache[k];
    if (!slot) {
        slot = std::make_unique<Held<Manager>>();
        fill(*slot, k);
    }
    return *slot;
}

template <class Manager>
void enqueue_cancel(benchmark::State& state) {
    auto k = static_cast<std::uint64_t>(state.range(0));
    Held<Manager>& h = held<Manager>(k);
    std::uint64_t i = 0;
    for (auto _ : state) {
        std::uint64_t start = gap(i++, k) * stride + 2 * MiB;
        EnqueueResult r = h.manager->enqueue(pw_request(requester, h.next_handle++, start, MiB, 0));
        if (r.status != EnqueueStatus::granted) {
            state.SkipWithError("non-conflicting lock not granted");
            break;
        }
        benchmark::DoNotOptimize(h.manager->cancel(r.handle));
    }
    state.SetItemsProcessed(state.iterations());
}

void enqueue_cancel_ofd(benchmark::State& state) {
    auto k = static_cast<std::uint64_t>(state.range(0));
    static std::map<std::uint64_t, std::unique_ptr<OfdLockFile>> cache;
    auto& file = cache[k];
    if (!file) {
        file = std::make_unique<OfdLockFile>();
        if (!file->ok() || !file->hold_every(stride, MiB, k)) file.reset();
    }
    if (!file) {
        state.SkipWithError("cannot hold OFD locks on a file in /dev/shm");
        return;
    }
    std::uint64_t i = 0;
    for (auto _ : state) {
        std::uint64_t start = gap(i++, k) * stride + 2 * MiB;
        if (!file->lock(start, MiB) || !file->unlock(start, MiB)) {
            state.SkipWithError("F_OFD_SETLK failed");
            break;
        }
    }
    state.SetItemsProcessed(state.iterations());
}

// One callback cycle: a request conflicting with one held lock waits and
// calls it back; the holder cancels (the waiter is granted), the requester
// cancels, and the holder takes its lock again.
template <class Manager>
void conflict_ast(benchmark::State& state) {
    auto k = static_cast<std::uint64_t>(state.range(0));
    Held<Manager>& h = held<Manager>(k);
    std::uint64_t i = 0;
    for (auto _ : state) {
        std::uint64_t j = gap(i++, k);
        EnqueueResult r = h.manager->enqueue(pw_request(requester, h.next_handle++, j * stride, MiB, 0));
        if (r.status != EnqueueStatus::waiting || r.actions.size() != 1) {
            state.SkipWithError("expected one blocking AST");
            break;
        }
        CancelResult granted = h.manager->cancel(r.actions[0].lock);
        benchmark::DoNotOptimize(granted);
        h.manager->cancel(r.handle);
        h.handles[j] = h.manager->enqueue(held_request(j, h.next_handle++)).handle;
    }
    state.SetItemsProcessed(state.iterations());
}

// K lockahead locks from 16 clients; the file is written up to the last 64
// of them, the lock at the boundary being an ordinary one.
template <class Manager>
Manager& glimpse_fixture(std::uint64_t k) {
    static std::map<std::uint64_t, std::unique_ptr<Manager>> cache;
    auto& m = cache[k];
    if (!m) {
        m = std::make_unique<Manager>();
        std::uint64_t boundary = k > 64 ? k - 64 : 0;
        for (std::uint64_t i = 0; i < k; ++i)
            if (i != boundary)
                add_held(*m, pw_request(ClientId{1 + i % 16}, i + 1, i * MiB, MiB, flag::no_expansion));
        add_held(*m, pw_request(ClientId{99}, k + 1, boundary * MiB, MiB, 0));
        m->merge_lvb(object, Lvb{boundary * MiB + 1, 0, 0, 0, 0});
    }
    return *m;
}

template <class Manager>
void glimpse_plan(benchmark::State& state) {
    auto k = static_cast<std::uint64_t>(state.range(0));
    Manager& m = glimpse_fixture<Manager>(k);
    std::uint64_t above = std::min<std::uint64_t>(k - 1, 63);  // lockahead locks above the size
    std::size_t expected = std::min<std::uint64_t>(above, 16) + 1;
    for (auto _ : state) {
        GlimpsePlan p = m.plan_glimpse(object);
        if (p.targets.size() != expected) {
            state.SkipWithError("expected 16 lockahead clients and the writer");
            break;
        }
        benchmark::DoNotOptimize(p);
    }
    state.SetItemsProcessed(state.iterations());
}

void register_all() {
    auto sizes = [](benchmark::internal::Benchmark* b) { b->Arg(10)->Arg(1000)->Arg(100000); };
    sizes(benchmark::RegisterBenchmark("ldlm/enqueue_cancel/itree", enqueue_cancel<LockNamespace>));
    sizes(benchmark::RegisterBenchmark("ldlm/enqueue_cancel/list", enqueue_cancel<ListLockManager>));
    sizes(benchmark::RegisterBenchmark("ldlm/enqueue_cancel/ofd_fcntl", enqueue_cancel_ofd));
    sizes(benchmark::RegisterBenchmark("ldlm/conflict_ast", conflict_ast<LockNamespace>));
    sizes(benchmark::RegisterBenchmark("ldlm/conflict_ast_list", conflict_ast<ListLockManager>));
    sizes(benchmark::RegisterBenchmark("ldlm/glimpse_plan", glimpse_plan<LockNamespace>));
    sizes(benchmark::RegisterBenchmark("ldlm/glimpse_plan_list", glimpse_plan<ListLockManager>));
}

const RatioCheck checks[] = {
    {"itree vs list, enqueue+cancel at 100000 held", "ldlm/enqueue_cancel/list/100000",
     "ldlm/enqueue_cancel/itree/100000", Bound::at_least, 100},
    {"itree vs kernel OFD locks at 100000 held", "ldlm/enqueue_cancel/ofd_fcntl/100000",
     "ldlm/enqueue_cancel/itree/100000", Bound::at_least, 10},
    {"itree cost growth from 10 to 100000 held", "ldlm/enqueue_cancel/itree/100000",
     "ldlm/enqueue_cancel/itree/10", Bound::at_most, 10},
    {"conflict cycle cost growth from 10 to 100000", "ldlm/conflict_ast/100000",
     "ldlm/conflict_ast/10", Bound::at_most, 10},
    {"conflict cycle vs list at 100000", "ldlm/conflict_ast_list/100000", "ldlm/conflict_ast/100000",
     Bound::at_least, 100},
    {"glimpse plan vs list at 100000", "ldlm/glimpse_plan_list/100000", "ldlm/glimpse_plan/100000",
     Bound::at_least, 100},
};

}  // namespace
}  // namespace ostd::perf::ldlm

int main(int argc, char** argv) {
    ostd::perf::ldlm::register_all();
    return ostd::perf::run_with_ratios(argc, argv, ostd::perf::ldlm::checks);
}
