// Built-once state of the matching benchmarks: the workload and one table per
// implementation, for one ME count at a time. Google Benchmark calls a
// benchmark several times while it sizes the run; building a million MEs each
// time would dwarf the measurement. Benchmarks are registered ME-count-major,
// so each cache rebuilds only when the count changes (and frees the last one).
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <string>

#include "lnet_core/match_table.hpp"
#include "perf/lnet/workload.hpp"

namespace ostd::perf::lnet {

inline const Workload& cached_workload(size_t mes)
{
    static size_t cached_mes = 0;
    static std::unique_ptr<Workload> cached;
    if (!cached || cached_mes != mes) {
        cached.reset();
        cached = std::make_unique<Workload>(make_workload(WorkloadShape{.mes = mes}));
        cached_mes = mes;
    }
    return *cached;
}

// What every ME exposes: a small buffer shared by all, PUTs only, never
// exhausted, never unlinked by matching.
inline ostd::lnet::MdSpec workload_md()
{
    static std::array<std::byte, 4096> buffer{};
    ostd::lnet::MdSpec spec;
    spec.buffer = buffer;
    spec.options = ostd::lnet::md_option::op_put;
    spec.threshold = ostd::lnet::threshold_infinite;
    spec.auto_unlink = false;
    return spec;
}

// False if the table refused an ME.
inline bool attach_all(ostd::lnet::MatchTable& table, const Workload& w)
{
    for (const MatchSpec& me : w.mes)
        if (!table.attach(me, workload_md(), ostd::lnet::Position::after))
            return false;
    return true;
}

template <class Table>
bool attach_all(Table& table, const Workload& w)
{
    for (const MatchSpec& me : w.mes)
        table.attach(me, workload_md(), ostd::lnet::Position::after);
    return true;
}

template <class Table>
struct MatchFixture {
    std::unique_ptr<Table> table;
    size_t cursor = 0;   // where the next run resumes in the request stream
    std::string error;   // non-empty if the table does not match its workload
};

// The table for `mes` MEs, built on first use and checked: a sample of the
// requests must all match (a table that misses would look fast).
template <class Table>
MatchFixture<Table>& cached_fixture(size_t mes)
{
    static size_t cached_mes = 0;
    static MatchFixture<Table> fixture;
    if (fixture.table && cached_mes == mes)
        return fixture;
    fixture = {};
    const Workload& w = cached_workload(mes);
    fixture.table = std::make_unique<Table>();
    if (!attach_all(*fixture.table, w))
        fixture.error = "the table refused a workload ME";
    for (size_t i = 0; i < 1000 && i < w.requests.size(); ++i)
        if (fixture.table->match(w.requests[i]).result != ostd::lnet::MatchResult::ok)
            fixture.error = "a workload request did not match";
    cached_mes = mes;
    return fixture;
}

}  // namespace ostd::perf::lnet
