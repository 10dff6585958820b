// dataplane_bench: the packet rate of the real worker loop on one core against
// the bare loop (RX burst + free) on the same port, in the same run.
//
// The port is net_pcap replaying, from memory and without end, a capture of
// LNET PUTs to a match-unique portal holding many MEs. Phase 1 runs the bare
// loop on the worker lcore; phase 2 runs the data plane's worker there (parse,
// validate, match, deposit, post event, then drain its own event queue, as a
// worker serves I/O events) while the main lcore runs the control core. Speed targets are reported, not asserted:
// the exit status is non-zero only for a broken run (bad arguments, set-up
// failure, or a full path that did not deliver what it received).
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "control/control_core.hpp"
#include "control/eal_args.hpp"
#include "dataplane/dataplane.hpp"
#include "dataplane/eal.hpp"
#include "perf/dataplane/bare_loop.hpp"
#include "perf/dataplane/bench_report.hpp"
#include "perf/dataplane/phase2_sample.hpp"
#include "perf/dataplane/put_capture.hpp"

namespace {

using namespace ostd;
using Clock = std::chrono::steady_clock;

struct Options {
    double seconds = 5;
    double warmup = 0.5;
    perf::PutWorkload workload;
    uint16_t burst = 32;
    uint32_t eq_size = 4096;
    std::string json_path;
    std::string capture_path;  // empty: a temporary file, removed at the end
};

void usage(FILE* out)
{
    std::fprintf(out,
                 "usage: dataplane_bench [--seconds S] [--warmup S] [--mes N] [--payload BYTES] [--frames N]\n"
                 "                       [--clients N] [--burst N] [--eq-size N] [--seed N]\n"
                 "                       [--capture FILE] [--json FILE]\n"
                 "  --seconds S     length of each measured window (default 5)\n"
                 "  --warmup S      time each phase runs before it is measured (default 0.5)\n"
                 "  --mes N         match-unique MEs on the bulk portal (default 100000)\n"
                 "  --payload B     PUT payload bytes per frame, 0..1376 (default 64)\n"
                 "  --frames N      distinct frames in the replayed capture (default 8192)\n"
                 "  --clients N     client addresses, from 10.77.1.0 on (default 300, at most 65000)\n"
                 "  --capture FILE  where to write the capture (kept); default: a temporary file\n"
                 "  --json FILE     also write the JSON result there\n");
}

bool parse_options(int argc, char** argv, Options& o)
{
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "-h" || arg == "--help") {
            usage(stdout);
            std::exit(0);
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "dataplane_bench: '%s' needs a value or is unknown\n", arg.c_str());
            return false;
        }
        std::string value = argv[++i];
        auto number = [&] { return std::strtoull(value.c_str(), nullptr, 0); };
        if (arg == "--seconds") o.seconds = std::strtod(value.c_str(), nullptr);
        else if (arg == "--warmup") o.warmup = std::strtod(value.c_str(), nullptr);
        else if (arg == "--mes") o.workload.mes = number();
        else if (arg == "--payload") o.workload.payload = static_cast<uint32_t>(number());
        else if (arg == "--frames") o.workload.frames = number();
        else if (arg == "--clients") o.workload.clients = static_cast<uint32_t>(number());
        else if (arg == "--burst") o.burst = static_cast<uint16_t>(number());
        else if (arg == "--eq-size") o.eq_size = static_cast<uint32_t>(number());
        else if (arg == "--seed") o.workload.seed = number();
        else if (arg == "--capture") o.capture_path = value;
        else if (arg == "--json") o.json_path = value;
        else {
            std::fprintf(stderr, "dataplane_bench: unknown argument '%s'\n", arg.c_str());
            return false;
        }
    }
    const auto& w = o.workload;
    bool sane = o.seconds > 0 && o.seconds <= 60 && o.warmup >= 0 && w.mes > 0 && w.payload <= 1376 &&
                w.frames > 0 && w.frames <= 65536 && w.clients > 0 && w.clients <= 65000 && o.burst > 0 &&
                o.burst <= 64 && o.eq_size >= 64;
    if (!sane)
        std::fprintf(stderr, "dataplane_bench: an argument is out of range (see --help)\n");
    return sane;
}

// The appliance as ostd would configure it, on a net_pcap port replaying the capture.
control::AppConfig bench_config(const Options& o, const std::string& capture)
{
    control::AppConfig config;
    config.eal.file_prefix = "ostd-dpbench-" + std::to_string(getpid());
    config.eal.memory_mb = 1024;
    config.eal.no_huge = true;
    config.eal.args = {"--log-level=pmd.net.pcap:warning", "--no-telemetry"};  // no socket left behind
    auto& dp = config.dataplane;
    dp.port.device = "net_pcap0,rx_pcap=" + capture + ",infinite_rx=1";  // no tx_*: TX frames are dropped
    dp.pool.mbufs = static_cast<uint32_t>(o.workload.frames) + 8191;      // net_pcap keeps the replay in mbufs
    dp.poll.mode = dataplane::PollMode::busy;
    dp.network.address = o.workload.appliance_ip;
    dp.network.netmask = 0xffffff00;
    dp.network.allowed = {{0x0a4d0000, 0xffff0000}};  // 10.77.0.0/16: the appliance's net and the clients'
    dp.lnet.eq_size = o.eq_size;
    dp.lnet.unique_capacity = 2 * o.workload.mes;
    dp.worker_lcores = {1};
    dp.control_lcore = 0;
    dp.burst = o.burst;
    return config;
}

template <typename Sample, typename Take>
std::pair<Sample, Sample> measure(const Options& o, Take take)
{
    std::this_thread::sleep_for(std::chrono::duration<double>(o.warmup));
    Sample before = take();
    std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
    return {before, take()};
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

bool run_bare_phase(dataplane::Dataplane& dp, const Options& o, perf::BenchResult& result)
{
    perf::BareLoop loop(dp.port().id(), 0, o.burst);
    if (!loop.launch(dp.config().worker_lcores.front()))
        return false;
    auto start = Clock::now();
    struct Sample {
        double time;
        uint64_t packets;
    };
    auto [before, after] = measure<Sample>(o, [&] { return Sample{seconds_since(start), loop.packets()}; });
    loop.stop();
    result.bare_seconds = after.time - before.time;
    result.bare_packets = after.packets - before.packets;
    return true;
}

// Every ME exposes the same sink: manage_remote with the sender's offset 0,
// so the MDs never fill however long the replay runs.
lnet::Result<bool, std::string> attach_mes(dataplane::Dataplane& dp, const perf::PutWorkload& workload,
                                           const std::vector<perf::MeKey>& keys, std::vector<std::byte>& sink)
{
    size_t refused = 0;
    bool ran = dp.run_on_workers(
        [&](dataplane::Worker& worker) {
            lnet::MdSpec md{sink, lnet::md_option::op_put | lnet::md_option::manage_remote,
                            lnet::threshold_infinite, 0, false, &worker.eq(), 0};
            for (const perf::MeKey& key : keys)
                if (!worker.endpoint().attach(perf::match_spec(workload, key), md, lnet::Position::after,
                                              worker.tx()))
                    ++refused;
        },
        std::chrono::seconds(60));
    if (!ran)
        return std::string("the workers did not run the attach command in time");
    if (refused > 0)
        return std::to_string(refused) + " of " + std::to_string(keys.size()) + " MEs were refused";
    return true;
}

void run_full_phase(dataplane::Dataplane& dp, const Options& o, perf::BenchResult& result)
{
    control::ControlCore control(dp, control::ServicesConfig{});  // its loop only: no request portals here
    std::atomic<bool> quit{false};
    auto start = Clock::now();
    std::pair<perf::Phase2Sample, perf::Phase2Sample> samples;
    dp.set_forwarding(true);
    std::thread timer([&] {
        samples = measure<perf::Phase2Sample>(o, [&] { return perf::take_phase2_sample(dp, start); });
        quit.store(true);
    });
    control.run(quit);  // the control core's loop on this lcore, as in ostd (workers drain their own EQs)
    timer.join();
    dp.request_stop();
    dp.wait();
    perf::fill_phase2(samples.first, samples.second, result);
}

int fail(const std::string& message)
{
    std::fprintf(stderr, "dataplane_bench: %s\n", message.c_str());
    return 1;
}

int run(const control::AppConfig& config, const Options& o, const std::vector<perf::MeKey>& keys,
        perf::BenchResult& result)
{
    std::vector<std::byte> sink(std::max<uint32_t>(o.workload.payload, 64));  // outlives the MDs
    auto dp = dataplane::Dataplane::create(config.dataplane);
    if (!dp)
        return fail(dp.error());
    dataplane::Dataplane& plane = *dp.value();
    if (!rte_is_same_ether_addr(&plane.port().mac(), &o.workload.appliance_mac))
        return fail("the port's MAC is not the one the capture was written for");
    std::printf("phase 1: bare loop (RX burst + free) on lcore %u for %.1f s\n", config.dataplane.worker_lcores[0],
                o.seconds);
    std::fflush(stdout);
    if (!run_bare_phase(plane, o, result))
        return fail("cannot launch the bare loop on the worker lcore");

    plane.set_forwarding(false);  // the worker takes commands but no packets yet
    if (auto launched = plane.launch(); !launched)
        return fail(launched.error());
    auto attach_start = Clock::now();
    if (auto attached = attach_mes(plane, o.workload, keys, sink); !attached) {
        plane.request_stop();
        return fail(attached.error());
    }
    std::printf("phase 2: %zu MEs attached in %.2f s; full worker loop for %.1f s\n", keys.size(),
                seconds_since(attach_start), o.seconds);
    std::fflush(stdout);
    run_full_phase(plane, o, result);
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    Options o;
    if (!parse_options(argc, argv, o))
        return 2;
    o.workload.appliance_mac = rte_ether_addr{{0x02, 0x70, 0x63, 0x61, 0x70, 0x00}};  // net_pcap's first port
    bool keep_capture = !o.capture_path.empty();
    std::string capture = keep_capture ? o.capture_path : "/tmp/ostd-dpbench-" + std::to_string(getpid()) + ".pcap";
    auto keys = perf::me_keys(o.workload);
    auto hit = perf::write_put_capture(capture, o.workload, keys);
    if (!hit)
        return fail(hit.error());

    perf::BenchResult result = perf::describe_workload(o.workload, *hit, o.burst, o.seconds);
    control::AppConfig config = bench_config(o, capture);
    int status;
    std::string runtime_dir;
    {
        auto eal = dataplane::Eal::init(control::eal_arguments(config, argv[0]));
        if (!eal) {
            std::remove(capture.c_str());
            return fail(eal.error());
        }
        runtime_dir = rte_eal_get_runtime_dir();
        status = run(config, o, keys, result);
    }  // data plane and port closed, then rte_eal_cleanup
    rmdir(runtime_dir.c_str());  // EAL leaves its runtime directory behind, empty without telemetry
    if (!keep_capture)
        std::remove(capture.c_str());
    if (status != 0)
        return status;

    perf::print_result(result);
    std::string json = perf::result_json(result);
    std::printf("%s\n", json.c_str());
    if (!o.json_path.empty() && !perf::write_text_file(o.json_path, json))
        return fail("cannot write " + o.json_path);
    return result.valid() ? 0 : fail("broken run: the full path matched less than 99% of what it received");
}
