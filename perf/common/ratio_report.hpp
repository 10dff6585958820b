// Runs the registered Google Benchmarks and then prints ratios between them,
// so every figure is judged against a baseline measured in the same run (the
// machines are shared and noisy: absolute times drift, ratios hold).
#pragma once

#include <span>
#include <string>

namespace ostd::perf {

enum class Bound { at_least, at_most };

// ratio = cost(numerator) / cost(denominator), where cost is nanoseconds per
// item when the benchmark calls SetItemsProcessed, else per iteration.
// "hash is 1000x faster than list" is {list, hash, at_least, 1000}.
struct RatioCheck {
    std::string label;
    std::string numerator;    // benchmark name, e.g. "match_unique/list/100000"
    std::string denominator;  // benchmark name, e.g. "match_unique/hash/100000"
    Bound bound;
    double limit;
};

// Parses the usual benchmark flags, runs the benchmarks, prints the table of
// ratios (and writes it as JSON when --ratios_json=FILE is given). Checks whose
// benchmarks were filtered out are listed as skipped. Returns 0 unless the
// benchmark library itself failed: speed targets are reported, not asserted.
int run_with_ratios(int argc, char** argv, std::span<const RatioCheck> checks);

}  // namespace ostd::perf
