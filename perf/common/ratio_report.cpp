#include "perf/common/ratio_report.hpp"

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <unistd.h>
#include <vector>

namespace ostd::perf {
namespace {

// Console output as usual, plus a memory of each run's cost.
class RememberingReporter : public benchmark::ConsoleReporter {
public:
    // Colour only on a terminal: piped output (CI logs, files) stays plain.
    RememberingReporter() : ConsoleReporter(isatty(STDOUT_FILENO) ? OO_Defaults : OO_Tabular) {}

    void ReportRuns(const std::vector<Run>& runs) override
    {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& run : runs) {
            if (run.error_occurred || run.run_type != Run::RT_Iteration)
                continue;
            _cost_ns[run.benchmark_name()] = cost_ns(run);
        }
    }

    double cost(const std::string& name) const
    {
        // Names carry decorations such as "/real_time" or "/iterations:N".
        for (const auto& [full, ns] : _cost_ns)
            if (full == name || full.rfind(name + "/", 0) == 0)
                return ns;
        return std::nan("");
    }

private:
    static double cost_ns(const Run& run)
    {
        auto items = run.counters.find("items_per_second");
        if (items != run.counters.end() && items->second.value > 0)
            return 1e9 / items->second.value;
        double seconds = run.GetAdjustedRealTime() *
                         benchmark::GetTimeUnitMultiplier(run.time_unit);
        return seconds * 1e9;
    }

    std::map<std::string, double> _cost_ns;
};

const char* take_json_flag(int& argc, char** argv)
{
    static const char prefix[] = "--ratios_json=";
    const char* path = nullptr;
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], prefix, sizeof prefix - 1) == 0)
            path = argv[i] + sizeof prefix - 1;
        else
            argv[kept++] = argv[i];
    }
    argc = kept;
    return path;
}

}  // namespace

int run_with_ratios(int argc, char** argv, std::span<const RatioCheck> checks)
{
    const char* json_path = take_json_flag(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 2;
    RememberingReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);

    std::string json = "[\n";
    std::printf("\n%-58s %12s %10s  %s\n", "ratio (numerator / denominator cost)", "measured",
                "expected", "verdict");
    for (const RatioCheck& check : checks) {
        double ratio = reporter.cost(check.numerator) / reporter.cost(check.denominator);
        const char* op = check.bound == Bound::at_least ? ">=" : "<=";
        const char* verdict = "skipped";
        if (!std::isnan(ratio)) {
            bool met = check.bound == Bound::at_least ? ratio >= check.limit : ratio <= check.limit;
            verdict = met ? "met" : "NOT MET";
        }
        std::printf("%-58s %12.2f %4s %5.0f  %s\n", check.label.c_str(), ratio, op, check.limit,
                    verdict);
        char line[512];
        std::snprintf(line, sizeof line,
                      "  {\"label\": \"%s\", \"numerator\": \"%s\", \"denominator\": \"%s\", "
                      "\"ratio\": %s, \"bound\": \"%s\", \"limit\": %g, \"verdict\": \"%s\"}",
                      check.label.c_str(), check.numerator.c_str(), check.denominator.c_str(),
                      std::isnan(ratio) ? "null" : std::to_string(ratio).c_str(), op, check.limit,
                      verdict);
        json += line;
        json += &check == &checks.back() ? "\n" : ",\n";
    }
    json += "]\n";
    if (json_path)
        std::ofstream(json_path) << json;
    benchmark::Shutdown();
    return 0;
}

}  // namespace ostd::perf
