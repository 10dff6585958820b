#include "perf/dataplane/bench_report.hpp"

#include <cstdio>
#include <fstream>

namespace ostd::perf {

bool BenchResult::valid() const
{
    return bare_packets > 0 && received > 0 && matched_fraction() >= required_matched_fraction;
}

std::string BenchResult::verdict() const
{
    if (!valid())
        return "broken run";
    return ratio() >= expected_ratio_at_least ? "meets target" : "below target";
}

BenchResult describe_workload(const PutWorkload& workload, size_t mes_hit, uint16_t burst, double seconds)
{
    BenchResult result;
    result.mes = workload.mes;
    result.payload = workload.payload;
    result.frames = workload.frames;
    result.mes_hit = mes_hit;
    result.clients = workload.clients;
    result.burst = burst;
    result.seconds = seconds;
    return result;
}

void print_result(const BenchResult& r)
{
    std::printf("workload: %zu unique MEs on the bulk portal, %zu frames hitting %zu of them, "
                "%u clients, %u-byte PUTs, burst %u\n",
                r.mes, r.frames, r.mes_hit, r.clients, r.payload, r.burst);
    auto ns = [](double pps) { return pps > 0 ? 1e9 / pps : 0.0; };
    std::printf("bare loop (RX burst + free)      : %12.0f packets/s  %7.1f ns/packet  (%lu in %.2f s)\n",
                r.bare_pps(), ns(r.bare_pps()), static_cast<unsigned long>(r.bare_packets), r.bare_seconds);
    std::printf("full path (parse..match..event)  : %12.0f packets/s  %7.1f ns/packet  (%lu matched in %.2f s)\n",
                r.full_pps(), ns(r.full_pps()), static_cast<unsigned long>(r.matched), r.full_seconds);
    std::printf("full/bare ratio                  : %12.3f  (expected at least %.2f): %s\n", r.ratio(),
                expected_ratio_at_least, r.verdict().c_str());
    std::printf("phase 2: received %lu, to LNET %lu, matched %lu (%.4f), events drained %lu, drops %lu, "
                "pushbacks %lu\n",
                static_cast<unsigned long>(r.received), static_cast<unsigned long>(r.lnet_messages),
                static_cast<unsigned long>(r.matched), r.matched_fraction(), static_cast<unsigned long>(r.events),
                static_cast<unsigned long>(r.drops), static_cast<unsigned long>(r.pushbacks));
    for (const std::string& reason : r.drop_reasons)
        std::printf("  drop %s\n", reason.c_str());
}

std::string result_json(const BenchResult& r)
{
    char text[1024];
    std::snprintf(text, sizeof text,
                  "{\"bare_pps\": %.0f, \"full_pps\": %.0f, \"ratio\": %.4f, \"mes\": %zu, \"payload\": %u, "
                  "\"seconds\": %.3f, \"frames\": %zu, \"clients\": %u, \"received\": %lu, \"matched\": %lu, "
                  "\"events\": %lu, \"drops\": %lu, \"pushbacks\": %lu, \"expected_ratio_at_least\": %.2f, "
                  "\"verdict\": \"%s\"}",
                  r.bare_pps(), r.full_pps(), r.ratio(), r.mes, r.payload, r.seconds, r.frames, r.clients,
                  static_cast<unsigned long>(r.received), static_cast<unsigned long>(r.matched),
                  static_cast<unsigned long>(r.events), static_cast<unsigned long>(r.drops),
                  static_cast<unsigned long>(r.pushbacks), expected_ratio_at_least, r.verdict().c_str());
    return text;
}

bool write_text_file(const std::string& path, const std::string& text)
{
    std::ofstream out(path, std::ios::trunc);
    out << text << '\n';
    return static_cast<bool>(out);
}

}  // namespace ostd::perf
