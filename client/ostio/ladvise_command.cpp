#include "client/ostio/ladvise_command.hpp"

#include <array>
#include <cerrno>
#include <ostream>

#include "client/ostio/json.hpp"
#include "client/ostio/layout_options.hpp"
#include "client/ostio/lru_option.hpp"
#include "client/ostio/object_command.hpp"
#include "client/ostio/repeated_option.hpp"

namespace ostd::client::ostio {

namespace {

constexpr std::string_view usage_text =
    "usage: ostio ladvise NID OBJECT --advice lockahead|locknoexpand [options]\n"
    "       ostio ladvise --ost NID [--ost NID ...] OBJECT ... [layout options]\n"
    "\n"
    "Striped (--ost): each extent (file offsets) is cut into one object extent\n"
    "per stripe it touches, each asked of its stripe's appliance; an extent's\n"
    "result is the weakest of its stripes' (sent over different over same).\n"
    "lockahead: asks for extent locks ahead of I/O and prints one result per\n"
    "extent: sent (0), different (1: a held lock covers it), same (2: a held\n"
    "lock has exactly that extent). With --async the requests are SPECULATIVE,\n"
    "NO_EXPANSION enqueues sent without waiting (a conflicting one is refused\n"
    "by the server, silently); without it each is an ordinary NO_EXPANSION\n"
    "enqueue, waited for. Then the locks held are printed (after the async\n"
    "replies have come back), cancelled, and the client disconnects.\n"
    "locknoexpand: switches NO_EXPANSION on (--unset: off) for this open file.\n"
    "\n"
    "  --advice A       lockahead or locknoexpand\n"
    "  --mode M         lockahead: read or write (or a number, passed as is)\n"
    "  --start S        lockahead: first byte of the extent\n"
    "  --end E          lockahead: last byte (inclusive)\n"
    "  --extent S:E     lockahead: another extent (repeatable)\n"
    "  --async          lockahead: do not wait (speculative requests)\n"
    "  --count N        lockahead: N extents, the first [S, E], each --stride\n"
    "                   further (default: its length); asked --batch at a time\n"
    "                   (default 500, at most 1023); a summary is printed\n"
    "                   instead of one result per extent\n"
    "  --hold MS        keep the locks MS ms (serving callbacks) before\n"
    "                   cancelling them; \"holding N locks\" goes to stderr first\n"
    "  --unset          locknoexpand: switch it off\n";

constexpr std::array<OptionSpec, 11> specs{{{"advice", true},
                                           {"mode", true},
                                           {"start", true},
                                           {"end", true},
                                           {"async", false},
                                           {"unset", false},
                                           {"count", true},
                                           {"stride", true},
                                           {"batch", true},
                                           {"hold", true},
                                           lru_size_spec}};

// Takes every --extent out of raw (the option parser keeps one value per name).
lnet::Result<std::vector<LadviseExtent>, std::string> take_extents(std::vector<std::string_view>& raw)
{
    auto values = take_repeated(raw, "extent");
    if (!values)
        return values.error();
    std::vector<LadviseExtent> extents;
    for (std::string_view value : *values) {
        auto extent = parse_extent(value);
        if (!extent)
            return extent.error();
        extents.push_back(*extent);
    }
    return extents;
}

struct LadviseArgs {
    ObjectArgs object;
    bool lockahead = true;
    LadviseMode mode = LadviseMode::write;
    std::vector<LadviseExtent> extents;
    uint64_t flags = 0;
    bool series = false;  // --count: a summary instead of one result per extent
    size_t batch = 500;   // extents per lockahead call with --count
    std::chrono::milliseconds hold{0};
};

// --count N --stride S: N copies of the first extent, S bytes apart.
lnet::Result<bool, std::string> read_series(const ParsedArgs& p, LadviseArgs& args)
{
    auto hold = uint_option(p, "hold", 0, 0, 3'600'000);
    if (!hold)
        return hold.error();
    args.hold = std::chrono::milliseconds(*hold);
    if (!p.has("count"))
        return true;
    LadviseExtent first = args.extents.front();
    uint64_t length = first.end - first.start + 1;
    auto count = uint_option(p, "count", 1, 1, 10'000'000);
    auto stride = uint_option(p, "stride", length, 1, UINT64_MAX);
    auto batch = uint_option(p, "batch", 500, 1, lockahead_max_extents);
    for (const auto* option : {&count, &stride, &batch})
        if (!*option)
            return option->error();
    if (args.extents.size() != 1)
        return std::string("--count needs exactly one extent (--start S --end E)");
    if ((UINT64_MAX - first.end) / *stride < *count - 1)
        return std::string("--count x --stride runs past the end of the object");
    args.extents.clear();
    for (uint64_t i = 0; i < *count; ++i)
        args.extents.push_back({first.start + i * *stride, first.end + i * *stride});
    args.series = true;
    args.batch = *batch;
    return true;
}

lnet::Result<LadviseArgs, std::string> read_args(std::span<const std::string_view> raw_args)
{
    std::vector<std::string_view> raw(raw_args.begin(), raw_args.end());
    auto extents = take_extents(raw);
    if (!extents)
        return extents.error();
    auto object = read_object_args(raw, specs, true);
    if (!object)
        return object.error();
    if (auto lru = apply_lru_size(object->parsed, object.value().config); !lru)
        return lru.error();
    LadviseArgs args{*object, true, LadviseMode::write, {}, 0};
    const ParsedArgs& p = object->parsed;
    auto advice = p.value("advice");
    if (!advice || (*advice != "lockahead" && *advice != "locknoexpand"))
        return std::string("--advice: lockahead or locknoexpand");
    args.lockahead = *advice == "lockahead";
    if (!args.lockahead) {
        args.flags = p.has("unset") ? ladvise_flag::unset : 0;
        return args;
    }
    auto mode = p.value("mode");
    if (!mode || !parse_ladvise_mode(*mode))
        return std::string("--mode: read or write");
    args.mode = *parse_ladvise_mode(*mode);
    if (p.has("start") || p.has("end")) {
        auto start = uint_option(p, "start", 0, 0, UINT64_MAX);
        auto end = uint_option(p, "end", 0, 0, UINT64_MAX);
        if (!start || !end || !p.has("end"))
            return !start ? start.error() : !end ? end.error() : std::string("--start needs --end");
        args.extents.push_back({*start, *end});
    }
    args.extents.insert(args.extents.end(), extents->begin(), extents->end());
    if (args.extents.empty())
        return std::string("lockahead needs --start S --end E or --extent S:E");
    args.flags = p.has("async") ? ladvise_flag::async : 0;
    if (auto series = read_series(p, args); !series)
        return series.error();
    return args;
}

using LockaheadResults = lnet::Result<std::vector<LockaheadResult>, int>;

// Every extent, args.batch per lockahead call (as MPI-IO asks ~500 at a time).
template <typename Advise>
LockaheadResults lockahead_batches(const LadviseArgs& args, Advise advise)
{
    std::vector<LockaheadResult> all;
    std::span<const LadviseExtent> rest(args.extents);
    while (!rest.empty()) {
        size_t n = std::min(rest.size(), args.batch);
        LockaheadResults results = advise(rest.first(n));
        if (!results)
            return results.error();
        all.insert(all.end(), results->begin(), results->end());
        rest = rest.subspan(n);
    }
    return all;
}

// Lets the async replies land and the LRU trim, then keeps the locks for --hold.
void settle_and_hold(OstClient& c, const LadviseArgs& args, CommandIo io)
{
    auto deadline = std::chrono::steady_clock::now() + args.object.config.timeout * 4;
    while (c.locks().async_in_flight() > 0 && std::chrono::steady_clock::now() < deadline)
        c.progress(std::chrono::milliseconds(10));
    c.locks().run_pending_cancels();
    if (args.hold.count() == 0)
        return;
    io.err << "ostio ladvise: holding " << c.locks().snapshot().size() << " locks for " << args.hold.count()
           << " ms" << std::endl;
    auto until = std::chrono::steady_clock::now() + args.hold;
    while (std::chrono::steady_clock::now() < until)
        c.progress(std::chrono::milliseconds(10));
}

// "{requested, sent, different, same" of a series' results (the caller closes it).
std::string series_counts(const std::vector<LockaheadResult>& results)
{
    size_t by_result[3] = {0, 0, 0};
    for (LockaheadResult r : results)
        ++by_result[static_cast<int>(r)];
    return "{\"requested\":" + std::to_string(results.size()) + ",\"sent\":" + std::to_string(by_result[0]) +
           ",\"different\":" + std::to_string(by_result[1]) + ",\"same\":" + std::to_string(by_result[2]);
}

std::string series_json(const std::vector<LockaheadResult>& results, const LockCache& locks)
{
    const LockCounters& counters = locks.counters();
    return series_counts(results) + ",\"refused\":" + std::to_string(counters.async_refused.get()) +
           ",\"lru_cancels\":" + std::to_string(counters.lru_cancels.get()) +
           ",\"held\":" + std::to_string(locks.snapshot().size()) + "}";
}

int report_lockahead(const LadviseArgs& args, const LockaheadResults& results, const std::string& series,
                     const std::vector<ClientLock>& locks, CommandIo io)
{
    if (!results) {
        io.err << "ostio ladvise: lockahead: " << errno_name(results.error()) << "\n";
        if (args.object.json)
            io.out << "{\"object\":" << json_string(object_text(args.object.object))
                   << ",\"advice\":\"lockahead\",\"errno\":" << -results.error()
                   << ",\"error\":" << json_string(errno_name(results.error())) << "}\n";
        return exit_failed;
    }
    if (args.series) {  // too many for one line each
        io.out << (args.object.json ? "" : "lockahead: ") << series << "\n";
        return exit_ok;
    }
    if (args.object.json) {
        io.out << "{\"object\":" << json_string(object_text(args.object.object))
               << ",\"advice\":\"lockahead\",\"results\":" << lockahead_results_json(args.extents, *results)
               << ",\"locks\":" << locks_json(locks) << "}\n";
        return exit_ok;
    }
    for (size_t i = 0; i < results->size(); ++i)
        io.out << "[" << args.extents[i].start << ", " << args.extents[i].end
               << "]: " << lockahead_result_name((*results)[i]) << " (" << static_cast<int>((*results)[i]) << ")\n";
    print_locks(locks, io.out);
    return exit_ok;
}

int run_lockahead(OstClient& c, const LadviseArgs& args, CommandIo io)
{
    OpenObject file = c.open(args.object.object, {.no_expand = args.object.no_expand});
    auto results = lockahead_batches(args, [&](std::span<const LadviseExtent> some) {
        return lockahead(c, file, args.mode, some, args.flags);
    });
    settle_and_hold(c, args, io);
    std::string series = results && args.series ? series_json(*results, c.locks()) : "";
    auto locks = c.locks().snapshot();
    c.disconnect();
    return report_lockahead(args, results, series, locks, io);
}

int report_noexpand(const LadviseArgs& args, const lnet::Result<bool, int>& set, bool on, CommandIo io)
{
    if (!set) {
        io.err << "ostio ladvise: locknoexpand: " << errno_name(set.error()) << "\n";
        return exit_failed;
    }
    if (args.object.json)
        io.out << "{\"object\":" << json_string(object_text(args.object.object))
               << ",\"advice\":\"locknoexpand\",\"no_expand\":" << (on ? "true" : "false") << "}\n";
    else
        io.out << "object " << object_text(args.object.object) << ": no-expand " << (on ? "on" : "off") << "\n";
    return exit_ok;
}

// Striped (--ost): each file extent becomes one object extent per stripe it
// touches, asked of that stripe's appliance (StripedFile::lockahead); the
// results are per file extent, the locks every appliance's.
int run_striped(const LadviseArgs& args, CommandIo io)
{
    auto opened = open_file(args.object);
    if (!opened) {
        io.err << "ostio ladvise: " << opened.error() << "\n";
        return exit_failed;
    }
    StripedFile& file = **opened;
    if (!args.lockahead) {
        auto set = file.locknoexpand(args.flags);
        file.disconnect();
        return report_noexpand(args, set, file.no_expand(), io);
    }
    auto results = lockahead_batches(args, [&](std::span<const LadviseExtent> some) {
        return file.lockahead(args.mode, some, args.flags);
    });
    // The async replies land (as settle_and_hold does for one client), then --hold.
    auto in_flight = [&] {
        size_t n = 0;
        for (OstClient* c : file.clients())
            n += c->locks().async_in_flight();
        return n;
    };
    auto deadline = std::chrono::steady_clock::now() + args.object.config.timeout * 4;
    while (in_flight() > 0 && std::chrono::steady_clock::now() < deadline)
        file.progress(std::chrono::milliseconds(10));
    for (auto until = std::chrono::steady_clock::now() + args.hold; std::chrono::steady_clock::now() < until;)
        file.progress(std::chrono::milliseconds(10));
    auto locks = file_locks(file);
    std::string series;
    if (results && args.series)
        series = series_counts(*results) + ",\"held\":" + std::to_string(locks.size()) + "}";
    file.disconnect();
    return report_lockahead(args, results, series, locks, io);
}

int run(std::span<const std::string_view> raw, CommandIo io)
{
    auto args = read_args(raw);
    if (!args) {
        io.err << "ostio ladvise: " << args.error() << "\n" << usage_text << connection_usage << lru_size_usage
               << layout_usage;
        return exit_usage;
    }
    if (args->object.layout)
        return run_striped(*args, io);
    auto client = connect_client(args->object);
    if (!client) {
        io.err << "ostio ladvise: " << client.error() << "\n";
        return exit_failed;
    }
    OstClient& c = **client;
    if (args->lockahead)
        return run_lockahead(c, *args, io);
    OpenObject file = c.open(args->object.object);
    auto set = locknoexpand(c, file, args->flags);
    c.disconnect();
    return report_noexpand(*args, set, file.no_expand, io);
}

}  // namespace

lnet::Result<LadviseExtent, std::string> parse_extent(std::string_view text)
{
    auto colon = text.find(':');
    auto start = colon == std::string_view::npos ? std::nullopt : parse_uint(text.substr(0, colon), 0, UINT64_MAX);
    auto end = colon == std::string_view::npos ? std::nullopt : parse_uint(text.substr(colon + 1), 0, UINT64_MAX);
    if (!start || !end)
        return "extent '" + std::string(text) + "': expected START:END (decimal, end inclusive)";
    return LadviseExtent{*start, *end};
}

std::optional<LadviseMode> parse_ladvise_mode(std::string_view text)
{
    if (text == "read")
        return LadviseMode::read;
    if (text == "write")
        return LadviseMode::write;
    if (auto number = parse_uint(text, 0, UINT32_MAX))
        return static_cast<LadviseMode>(*number);
    return std::nullopt;
}

std::string lockahead_results_json(const std::vector<LadviseExtent>& extents,
                                   const std::vector<LockaheadResult>& results)
{
    std::string out = "[";
    for (size_t i = 0; i < results.size(); ++i) {
        if (i > 0)
            out += ",";
        out += "{\"start\":" + std::to_string(extents[i].start) + ",\"end\":" + std::to_string(extents[i].end) +
               ",\"result\":" + json_string(lockahead_result_name(results[i])) +
               ",\"value\":" + std::to_string(static_cast<int>(results[i])) + "}";
    }
    return out + "]";
}

std::string errno_name(int negative_errno)
{
    switch (-negative_errno) {
    case EINVAL: return "EINVAL";
    case EFBIG: return "EFBIG";
    case EAGAIN: return "EAGAIN";
    case EINPROGRESS: return "EINPROGRESS";
    case EIO: return "EIO";
    case ETIMEDOUT: return "ETIMEDOUT";
    default: return "errno " + std::to_string(-negative_errno);
    }
}

Command ladvise_command()
{
    return Command{"ladvise", "lock ahead of I/O, or switch lock expansion off (LOCKAHEAD, LOCKNOEXPAND)", usage_text,
                   run};
}

}  // namespace ostd::client::ostio
