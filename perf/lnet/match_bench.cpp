// Match-unique lookups: ostd's MatchTable (open-addressed hash, single and
// burst) against two benchmark-only baselines measured in the same run, a
// linear ME list and Lustre's 256-chain table (DESIGN.md sections 5 and 10a).
// Also links eq_bench.cpp (event queue). main() prints the ratio checks.
//
//   ninja -C build perf/lnet/match_bench
//   ./build/perf/lnet/match_bench --benchmark_min_time=0.2 [--ratios_json=FILE]
// The whole run takes about 15 s; the list at a million MEs caps its own time.
#include <benchmark/benchmark.h>

#include <array>
#include <span>
#include <string>
#include <vector>

#include "lnet_core/match_table.hpp"
#include "perf/common/ratio_report.hpp"
#include "perf/lnet/baseline_chained256.hpp"
#include "perf/lnet/baseline_list.hpp"
#include "perf/lnet/match_fixture.hpp"

namespace ostd::perf::lnet {
namespace {

using ostd::lnet::MatchOutcome;
using ostd::lnet::MatchTable;

constexpr size_t burst = 32;
constexpr std::array<size_t, 3> me_counts{1000, 100000, 1000000};

// One incoming message per iteration, at a random position in the table.
template <class Table>
void bm_match_unique(benchmark::State& state, size_t mes)
{
    MatchFixture<Table>& fixture = cached_fixture<Table>(mes);
    if (!fixture.error.empty()) {
        state.SkipWithError(fixture.error.c_str());
        return;
    }
    const Table& table = *fixture.table;
    const std::vector<MatchRequest>& requests = cached_workload(mes).requests;
    const size_t mask = requests.size() - 1;
    size_t i = fixture.cursor;
    for (auto _ : state) {
        MatchOutcome outcome = table.match(requests[i]);
        benchmark::DoNotOptimize(outcome);
        i = (i + 1) & mask;
    }
    fixture.cursor = i;
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

// A poll loop's burst of 32 messages per iteration.
void bm_match_unique_burst(benchmark::State& state, size_t mes)
{
    MatchFixture<MatchTable>& fixture = cached_fixture<MatchTable>(mes);
    if (!fixture.error.empty()) {
        state.SkipWithError(fixture.error.c_str());
        return;
    }
    const MatchTable& table = *fixture.table;
    const std::vector<MatchRequest>& requests = cached_workload(mes).requests;
    const size_t mask = requests.size() - 1;  // a multiple of the burst
    std::array<MatchOutcome, burst> outcomes;
    size_t i = fixture.cursor & ~(burst - 1);
    for (auto _ : state) {
        table.match_burst(std::span(&requests[i], burst), outcomes);
        benchmark::DoNotOptimize(outcomes.data());
        benchmark::ClobberMemory();
        i = (i + burst) & mask;
    }
    fixture.cursor = i;
    state.SetItemsProcessed(static_cast<int64_t>(burst * state.iterations()));
}

std::string name(const char* impl, size_t mes)
{
    return "match_unique/" + std::string(impl) + "/" + std::to_string(mes);
}

// ME-count-major, so each fixture cache builds every table size once.
void register_match_benchmarks()
{
    for (size_t mes : me_counts) {
        benchmark::RegisterBenchmark(name("hash", mes).c_str(), bm_match_unique<MatchTable>, mes);
        benchmark::RegisterBenchmark(name("hash_burst", mes).c_str(), bm_match_unique_burst, mes);
        auto* list = benchmark::RegisterBenchmark(name("list", mes).c_str(),
                                                  bm_match_unique<BaselineList>, mes);
        auto* chained = benchmark::RegisterBenchmark(name("chained256", mes).c_str(),
                                                     bm_match_unique<BaselineChained256>, mes);
        // A list walk at a million MEs takes milliseconds: cap its run time
        // (the flag's --benchmark_min_time does not apply to these).
        if (mes >= 1000000) {
            list->MinTime(0.1);
            chained->MinTime(0.2);
        }
    }
}

const std::vector<RatioCheck>& ratio_checks()
{
    using enum Bound;
    static const std::vector<RatioCheck> checks{
        {"hash >= 1000x faster than list, 100k MEs", name("list", 100000), name("hash", 100000), at_least, 1000},
        {"hash >= 30x faster than chained256, 100k MEs", name("chained256", 100000), name("hash", 100000), at_least, 30},
        {"hash cost per match grows < 10x, 1k -> 1M MEs", name("hash", 1000000), name("hash", 1000), at_most, 10},
        {"burst faster per match than single, 100k MEs", name("hash", 100000), name("hash_burst", 100000), at_least, 1},
        {"burst faster per match than single, 1M MEs", name("hash", 1000000), name("hash_burst", 1000000), at_least, 1},
        {"(info) hash vs list, 1k MEs", name("list", 1000), name("hash", 1000), at_least, 1},
        {"(info) hash vs chained256, 1k MEs", name("chained256", 1000), name("hash", 1000), at_least, 1},
        {"(info) hash vs list, 1M MEs", name("list", 1000000), name("hash", 1000000), at_least, 1},
        {"(info) hash vs chained256, 1M MEs", name("chained256", 1000000), name("hash", 1000000), at_least, 1},
        {"EQ (SPSC) faster than mutex+deque, 2 threads", "eq/post_consume_mutex_deque", "eq/post_consume", at_least, 1},
    };
    return checks;
}

}  // namespace
}  // namespace ostd::perf::lnet

int main(int argc, char** argv)
{
    ostd::perf::lnet::register_match_benchmarks();
    return ostd::perf::run_with_ratios(argc, argv, ostd::perf::lnet::ratio_checks());
}
