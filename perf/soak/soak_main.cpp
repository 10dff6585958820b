// soak: several clients against one ostd for a bounded time, then every
// object verified against the model of what was acknowledged (issue 7, Soak).
//
//   soak 10.77.0.1@tcp --seconds 20 --clients 4 --objects 4 --seed 7
//
// Prints the operations done by kind, the rate, failures and mismatches, and
// the same as one line of JSON last. Exit 0 only with no mismatch and no
// failed operation; 2 on a bad command line.
#include <cstdio>
#include <thread>

#include "perf/soak/soak_client.hpp"

namespace ostd::perf::soak {
namespace {

// A fresh client reads every object whole and stats it: what ostd holds
// after every writer flushed and disconnected.
SoakTally verify(const SoakOptions& options, std::deque<SharedObject>& objects)
{
    SoakTally tally;
    auto connected = client::OstClient::connect(soak_client_config(options, options.clients));
    if (!connected) {
        tally.problem("verifier: " + connected.error(), false);
        return tally;
    }
    client::OstClient& verifier = **connected;
    std::vector<std::byte> chunk(1 << 20);
    for (SharedObject& object : objects) {
        auto file = verifier.open(object.id);
        for (uint64_t at = 0; at < options.object_span; at += chunk.size()) {
            uint64_t length = std::min<uint64_t>(chunk.size(), options.object_span - at);
            auto got = verifier.read(file, at, std::span(chunk.data(), length));
            if (!got) {
                tally.problem("verify read: " + got.error().detail, false);
                break;
            }
            tally.bytes_read += *got;
            std::string difference = object.compare(at, std::span(chunk.data(), *got), length);
            if (!difference.empty())
                tally.problem("after the run: " + difference, true);
        }
        auto stat = verifier.stat(file);
        if (!stat)
            tally.problem("verify stat: " + stat.error().detail, false);
        else if (stat->size != object.size)
            tally.problem("object " + std::to_string(object.id.id) + ": size " + std::to_string(stat->size) +
                              " after the run, " + std::to_string(object.size) + " acknowledged",
                          true);
    }
    (void)verifier.disconnect();
    return tally;
}

int run(const SoakOptions& options)
{
    std::deque<SharedObject> objects;
    for (unsigned i = 0; i < options.objects; ++i)
        objects.emplace_back(client::ObjectId{options.first_object + i, 0}, options.object_span);

    auto start = std::chrono::steady_clock::now();
    auto deadline = start + options.duration;
    std::vector<SoakTally> tallies(options.clients);
    std::vector<std::thread> threads;
    for (unsigned i = 0; i < options.clients; ++i)
        threads.emplace_back([&, i] { tallies[i] = SoakClient(i, options, objects).run(deadline); });
    for (std::thread& t : threads)
        t.join();
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    SoakTally total;
    for (const SoakTally& t : tallies)
        total.add(t);
    SoakTally checked = verify(options, objects);
    uint64_t mismatches = total.mismatches + checked.mismatches;
    uint64_t failures = total.failures + checked.failures;
    std::string problem = total.first_problem.empty() ? checked.first_problem : total.first_problem;
    double rate = seconds > 0 ? static_cast<double>(total.operations()) / seconds : 0;

    if (!options.json_only) {
        std::printf("soak: %u clients, %u objects of %llu bytes, seed %llu, %.1f s\n", options.clients,
                    options.objects, static_cast<unsigned long long>(options.object_span),
                    static_cast<unsigned long long>(options.seed), seconds);
        std::printf("  writes %llu  reads %llu  stats %llu  lockaheads %llu  (%.0f ops/s)\n",
                    static_cast<unsigned long long>(total.writes), static_cast<unsigned long long>(total.reads),
                    static_cast<unsigned long long>(total.stats), static_cast<unsigned long long>(total.lockaheads),
                    rate);
        std::printf("  reads short at a hole before another client's unflushed data: %llu\n",
                    static_cast<unsigned long long>(total.short_reads));
        std::printf("  verified %llu bytes; mismatches %llu, failures %llu%s%s\n",
                    static_cast<unsigned long long>(checked.bytes_read), static_cast<unsigned long long>(mismatches),
                    static_cast<unsigned long long>(failures), problem.empty() ? "" : "; first: ", problem.c_str());
    }
    std::string escaped;
    for (char c : problem)
        escaped += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    std::printf("{\"clients\": %u, \"objects\": %u, \"seed\": %llu, \"seconds\": %.3f, \"ops\": {\"write\": %llu, "
                "\"read\": %llu, \"stat\": %llu, \"lockahead\": %llu}, \"ops_total\": %llu, \"ops_per_s\": %.1f, "
                "\"bytes_written\": %llu, \"bytes_read\": %llu, \"short_reads\": %llu, \"verified_bytes\": %llu, "
                "\"mismatches\": %llu, "
                "\"failures\": %llu, \"first_problem\": \"%s\"}\n",
                options.clients, options.objects, static_cast<unsigned long long>(options.seed), seconds,
                static_cast<unsigned long long>(total.writes), static_cast<unsigned long long>(total.reads),
                static_cast<unsigned long long>(total.stats), static_cast<unsigned long long>(total.lockaheads),
                static_cast<unsigned long long>(total.operations()), rate,
                static_cast<unsigned long long>(total.bytes_written), static_cast<unsigned long long>(total.bytes_read),
                static_cast<unsigned long long>(total.short_reads),
                static_cast<unsigned long long>(checked.bytes_read), static_cast<unsigned long long>(mismatches),
                static_cast<unsigned long long>(failures), escaped.c_str());
    return mismatches == 0 && failures == 0 && total.operations() > 0 ? 0 : 1;
}

}  // namespace
}  // namespace ostd::perf::soak

int main(int argc, char** argv)
{
    std::string error;
    auto options = ostd::perf::soak::parse_soak_options(argc, argv, error);
    if (!options) {
        std::fprintf(stderr, "soak: %s\n%s", error.c_str(), ostd::perf::soak::soak_usage);
        return 2;
    }
    return ostd::perf::soak::run(*options);
}
