// `ostio run`: one client (one connection, one lock cache) driven by a
// script of commands, one per line, so that a test can hold locks and dirty
// data across steps while other clients act. Between lines (and while
// waiting for one) the client keeps polling, so ASTs are answered.
#include "client/ostio/run_command.hpp"

#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>

#include "client/ostio/json.hpp"
#include "client/ostio/ladvise_command.hpp"
#include "client/ostio/object_command.hpp"

namespace ostd::client::ostio {

namespace {

constexpr std::string_view usage_text =
    "usage: ostio run NID [FILE] [options]\n"
    "\n"
    "Connects once and runs commands read from FILE (default: stdin), one per\n"
    "line, all on the same client (its locks and writeback cache persist from\n"
    "line to line). Prints one result line per command. While waiting for a\n"
    "line the client keeps serving ASTs.\n"
    "\n"
    "  open OBJECT [no-expand]            open (no-expand: NO_EXPANSION locks)\n"
    "  write OBJECT OFFSET SIZE [pattern SEED]  into the writeback cache (seed 1)\n"
    "  read OBJECT OFFSET SIZE [verify SEED|zero]\n"
    "  fsync OBJECT | stat OBJECT | close OBJECT\n"
    "  sleep MS                            poll the client for MS milliseconds\n"
    "  locks                               the locks held and AST counters\n"
    "  counters                            datagrams (dropped ones too), RPCs, resends, ASTs\n"
    "  ladvise OBJECT lockahead read|write S:E [S:E ...] [async]\n"
    "                                      lock ahead; one result per extent\n"
    "  ladvise OBJECT locknoexpand [unset] this file's locks with(out) NO_EXPANSION\n"
    "  wait-line                           wait for the next line (serving ASTs)\n"
    "  quit                                flush, cancel, disconnect, exit\n"
    "Blank lines and lines starting with # are skipped. A failed command\n"
    "prints an error result and the script goes on; the exit status is 1 if\n"
    "any command failed.\n";

constexpr auto idle_poll = std::chrono::milliseconds(10);

// Lines from stdin (polled, so the client is served while it waits) or a file.
class LineSource {
public:
    explicit LineSource(std::istream* file) : _file(file) {}

    // The next line; nothing at end of input. Polls `client` while waiting.
    std::optional<std::string> next(OstClient& client)
    {
        if (_file) {
            std::string line;
            if (std::getline(*_file, line))
                return line;
            return std::nullopt;
        }
        for (;;) {
            if (auto newline = _buffer.find('\n'); newline != std::string::npos) {
                std::string line = _buffer.substr(0, newline);
                _buffer.erase(0, newline + 1);
                return line;
            }
            if (_eof) {
                if (_buffer.empty())
                    return std::nullopt;
                return std::exchange(_buffer, std::string());
            }
            pollfd fd{.fd = STDIN_FILENO, .events = POLLIN, .revents = 0};
            int ready = ::poll(&fd, 1, 0);
            if (ready < 0 && errno != EINTR) {
                _eof = true;
                continue;
            }
            if (ready > 0) {
                char chunk[4096];
                ssize_t got = ::read(STDIN_FILENO, chunk, sizeof chunk);
                if (got > 0)
                    _buffer.append(chunk, static_cast<size_t>(got));
                else if (got == 0 || errno != EINTR)
                    _eof = true;
                continue;
            }
            client.progress(idle_poll);
        }
    }

private:
    std::istream* _file;
    std::string _buffer;
    bool _eof = false;
};

struct Runner {
    OstClient& client;
    bool json;
    bool default_no_expand;
    std::map<ObjectId, OpenObject> files;

    OpenObject& file(ObjectId object)
    {
        auto it = files.find(object);
        if (it == files.end())
            it = files.emplace(object, client.open(object, {.no_expand = default_no_expand})).first;
        return it->second;
    }
};

// One command's result: fields as JSON members (values already encoded).
struct Result {
    std::string command;
    std::string error;  // empty: ok
    std::vector<std::pair<std::string, std::string>> fields;

    void add(std::string name, std::string value) { fields.emplace_back(std::move(name), std::move(value)); }
    void add(std::string name, uint64_t value) { add(std::move(name), std::to_string(value)); }
    void add(std::string name, bool value) { add(std::move(name), std::string(value ? "true" : "false")); }
};

void print(const Result& result, bool json, std::ostream& out)
{
    if (json) {
        out << "{\"command\":" << json_string(result.command) << ",\"ok\":" << (result.error.empty() ? "true" : "false");
        if (!result.error.empty())
            out << ",\"error\":" << json_string(result.error);
        for (const auto& [name, value] : result.fields)
            out << "," << json_string(name) << ":" << value;
        out << "}\n";
    } else {
        out << (result.error.empty() ? "ok " : "error ") << result.command;
        if (!result.error.empty())
            out << ": " << result.error;
        for (const auto& [name, value] : result.fields)
            out << " " << name << "=" << value;
        out << "\n";
    }
    out.flush();
}

std::vector<std::string> words_of(const std::string& line)
{
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string word; in >> word;)
        words.push_back(word);
    return words;
}

std::optional<uint64_t> number(const std::vector<std::string>& words, size_t i, uint64_t max = UINT64_MAX / 2)
{
    return i < words.size() ? parse_uint(words[i], 0, max) : std::nullopt;
}

std::string lock_counters_json(const LockCounters& c)
{
    return "{\"enqueues\":" + std::to_string(c.enqueues.get()) + ",\"matches\":" + std::to_string(c.matches.get()) +
           ",\"waits\":" + std::to_string(c.waits.get()) + ",\"cancels\":" + std::to_string(c.cancels.get()) +
           ",\"blocking_asts\":" + std::to_string(c.blocking_asts.get()) +
           ",\"completion_asts\":" + std::to_string(c.completion_asts.get()) +
           ",\"glimpse_asts\":" + std::to_string(c.glimpse_asts.get()) +
           ",\"async_enqueues\":" + std::to_string(c.async_enqueues.get()) +
           ",\"async_refused\":" + std::to_string(c.async_refused.get()) + "}";
}

// What the loss tests look at: datagrams dropped on purpose, resends, resent ASTs.
std::string traffic_counters_json(OstClient& client)
{
    const TransportCounters& t = client.transport().counters();
    const RpcCounters& rpc = client.rpc().counters();
    const CallbackCounters& cb = client.callbacks().counters();
    const IoCounters& io = client.io().counters();
    auto n = [](const lnet::Counter& c) { return std::to_string(c.get()); };
    return "{\"tx_datagrams\":" + n(t.tx_datagrams) + ",\"tx_dropped\":" + n(t.tx_dropped) +
           ",\"rx_datagrams\":" + n(t.rx_datagrams) + ",\"rx_dropped\":" + n(t.rx_dropped) +
           ",\"rpcs\":" + n(rpc.started) + ",\"resends\":" + n(rpc.resends) + ",\"timeouts\":" + n(rpc.timeouts) +
           ",\"asts\":" + n(cb.requests) + ",\"ast_duplicates\":" + n(cb.duplicates) +
           ",\"write_rpcs\":" + n(io.write_rpcs) + ",\"bytes_written\":" + n(io.bytes_written) + "}";
}

// ladvise OBJECT lockahead MODE S:E [S:E ...] [async] | ladvise OBJECT locknoexpand [unset]
void run_ladvise(Runner& r, ObjectId object, const std::vector<std::string>& words, Result& result)
{
    constexpr std::string_view synopsis =
        "usage: ladvise OBJECT lockahead read|write S:E [S:E ...] [async] | ladvise OBJECT locknoexpand [unset]";
    std::string_view advice = words.size() > 2 ? std::string_view(words[2]) : "";
    if (advice == "locknoexpand") {
        bool unset = words.size() == 4 && words[3] == "unset";
        if (words.size() > 4 || (words.size() == 4 && !unset)) {
            result.error = synopsis;
            return;
        }
        OpenObject& file = r.file(object);
        if (auto set = locknoexpand(r.client, file, unset ? ladvise_flag::unset : 0); !set) {
            result.error = "locknoexpand: " + errno_name(set.error());
            return;
        }
        result.add("no_expand", file.no_expand);
        return;
    }
    auto mode = words.size() > 3 ? parse_ladvise_mode(words[3]) : std::nullopt;
    if (advice != "lockahead" || !mode) {
        result.error = synopsis;
        return;
    }
    std::vector<LadviseExtent> extents;
    uint64_t flags = 0;
    for (size_t i = 4; i < words.size(); ++i) {
        if (words[i] == "async") {
            flags |= ladvise_flag::async;
            continue;
        }
        auto extent = parse_extent(words[i]);
        if (!extent) {
            result.error = extent.error();
            return;
        }
        extents.push_back(*extent);
    }
    auto results = lockahead(r.client, r.file(object), *mode, extents, flags);
    if (!results) {
        result.error = "lockahead: " + errno_name(results.error());
        result.add("errno", static_cast<uint64_t>(-results.error()));
        return;
    }
    result.add("results", lockahead_results_json(extents, *results));
}

// Runs one command line; `wait_line` is set for wait-line, `quit` for quit.
Result execute(Runner& r, const std::vector<std::string>& words, bool& wait_line, bool& quit)
{
    Result result{words[0], "", {}};
    const std::string& verb = words[0];
    auto fail = [&](std::string error) {
        result.error = std::move(error);
        return result;
    };
    auto usage = [&](std::string_view synopsis) { return fail("usage: " + std::string(synopsis)); };

    if (verb == "quit") {
        quit = true;
        if (auto gone = r.client.disconnect(); !gone)
            return fail(gone.error().detail);
        return result;
    }
    if (verb == "wait-line") {
        wait_line = true;
        return result;
    }
    if (verb == "sleep") {
        auto ms = number(words, 1, 600'000);
        if (!ms || words.size() != 2)
            return usage("sleep MS");
        auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(*ms);
        while (std::chrono::steady_clock::now() < until)
            r.client.progress(std::min<std::chrono::milliseconds>(
                idle_poll, std::chrono::ceil<std::chrono::milliseconds>(until - std::chrono::steady_clock::now())));
        result.add("ms", *ms);
        return result;
    }
    if (verb == "locks") {
        if (words.size() != 1)
            return usage("locks");
        result.add("locks", locks_json(r.client.locks().snapshot()));
        result.add("counters", lock_counters_json(r.client.locks().counters()));
        return result;
    }
    if (verb == "counters") {
        if (words.size() != 1)
            return usage("counters");
        result.add("counters", traffic_counters_json(r.client));
        return result;
    }

    // The object commands.
    if (words.size() < 2)
        return usage(verb + " OBJECT ...");
    auto object = parse_object(words[1]);
    if (!object)
        return fail(object.error());
    result.add("object", json_string(object_text(*object)));
    auto start = std::chrono::steady_clock::now();
    auto seconds = [&] {
        return std::to_string(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    };

    if (verb == "open") {
        bool no_expand = words.size() == 3 && words[2] == "no-expand";
        if (words.size() > 3 || (words.size() == 3 && !no_expand))
            return usage("open OBJECT [no-expand]");
        r.files[*object] = r.client.open(*object, {.no_expand = no_expand});
        result.add("no_expand", no_expand);
        return result;
    }
    if (verb == "write") {
        auto offset = number(words, 2);
        auto size = number(words, 3, 1ull << 32);
        bool patterned = words.size() == 6 && words[4] == "pattern";
        auto seed = patterned ? number(words, 5, UINT64_MAX) : std::optional<uint64_t>(1);
        if (!offset || !size || *size == 0 || !seed || (words.size() != 4 && !patterned))
            return usage("write OBJECT OFFSET SIZE [pattern SEED]");
        std::vector<std::byte> data(*size);
        fill_pattern(*seed, *offset, data);
        auto written = r.client.write(r.file(*object), *offset, data);
        if (!written)
            return fail(written.error().detail);
        result.add("offset", *offset);
        result.add("bytes", *written);
        result.add("seconds", seconds());
        return result;
    }
    if (verb == "read") {
        auto offset = number(words, 2);
        auto size = number(words, 3, 1ull << 32);
        bool verify = words.size() == 6 && words[4] == "verify";
        bool zero = verify && words[5] == "zero";
        auto seed = verify && !zero ? number(words, 5, UINT64_MAX) : std::optional<uint64_t>(0);
        if (!offset || !size || *size == 0 || !seed || (words.size() != 4 && !verify))
            return usage("read OBJECT OFFSET SIZE [verify SEED|zero]");
        std::vector<std::byte> data(*size);
        auto got = r.client.read(r.file(*object), *offset, data);
        if (!got)
            return fail(got.error().detail);
        data.resize(*got);
        result.add("offset", *offset);
        result.add("bytes", *got);
        if (verify) {
            std::optional<uint64_t> mismatch;
            if (zero) {
                for (size_t i = 0; i < data.size() && !mismatch; ++i)
                    if (data[i] != std::byte{0})
                        mismatch = *offset + i;
            } else {
                mismatch = check_pattern(*seed, *offset, data);
            }
            result.add("verified", !mismatch);
            if (mismatch)
                result.add("first_mismatch", *mismatch);
        }
        result.add("seconds", seconds());
        return result;
    }
    if (verb == "ladvise") {
        run_ladvise(r, *object, words, result);
        return result;
    }
    if (words.size() != 2)
        return usage(verb + " OBJECT");
    if (verb == "fsync") {
        if (auto synced = r.client.fsync(r.file(*object)); !synced)
            return fail(synced.error().detail);
        result.add("seconds", seconds());
        return result;
    }
    if (verb == "stat") {
        auto stat = r.client.stat(r.file(*object));
        if (!stat)
            return fail(stat.error().detail);
        result.add("size", stat->size);
        result.add("server_size", stat->server_size);
        result.add("dirty_end", stat->dirty_end);
        result.add("lock_granted", stat->lock_granted);
        return result;
    }
    if (verb == "close") {
        if (auto closed = r.client.close(r.file(*object)); !closed)
            return fail(closed.error().detail);
        r.files.erase(*object);
        return result;
    }
    result.fields.clear();
    return fail("unknown command '" + verb + "' (ostio run --help lists them)");
}

constexpr std::array<OptionSpec, 4> specs{{{"port", true}, {"timeout", true}, {"resends", true}, {"json", false}}};

int run(std::span<const std::string_view> raw, CommandIo io)
{
    std::vector<OptionSpec> all(std::begin(connection_specs), std::end(connection_specs));
    auto parsed = parse_options(raw, all);
    std::string error = !parsed ? parsed.error()
                        : parsed->positional.empty() || parsed->positional.size() > 2
                            ? "expected NID [FILE]"
                            : "";
    // NID and connection options as the object commands read them (OBJECT 0 is a placeholder).
    lnet::Result<ObjectArgs, std::string> args = std::string();
    if (error.empty()) {
        std::vector<std::string_view> object_raw(raw.begin(), raw.end());
        if (parsed->positional.size() == 2)
            std::erase(object_raw, parsed->positional[1]);
        object_raw.push_back("0");
        args = read_object_args(object_raw, {});
        if (!args)
            error = args.error();
    }
    if (!error.empty()) {
        io.err << "ostio run: " << error << "\n" << usage_text << connection_usage;
        return exit_usage;
    }
    std::ifstream script;
    if (parsed->positional.size() == 2) {
        script.open(std::string(parsed->positional[1]));
        if (!script) {
            io.err << "ostio run: cannot read " << parsed->positional[1] << "\n";
            return exit_usage;
        }
    }
    auto client = connect_client(*args);
    if (!client) {
        io.err << "ostio run: " << client.error() << "\n";
        return exit_failed;
    }
    Runner runner{**client, args->json, args->no_expand, {}};
    LineSource lines(script.is_open() ? &script : nullptr);
    bool failed = false, quit = false;
    while (!quit) {
        auto line = lines.next(runner.client);
        if (!line)
            break;
        auto words = words_of(*line);
        if (words.empty() || words[0].starts_with('#'))
            continue;
        bool wait_line = false;
        Result result = execute(runner, words, wait_line, quit);
        failed |= !result.error.empty();
        if (wait_line) {
            auto next = lines.next(runner.client);  // consumed: it only releases the wait
            result.add("released", next.has_value());
        }
        print(result, runner.json, io.out);
    }
    if (!quit)
        if (auto gone = runner.client.disconnect(); !gone) {
            io.err << "ostio run: " << gone.error().detail << "\n";
            failed = true;
        }
    return failed ? exit_failed : exit_ok;
}

}  // namespace

Command run_command() { return Command{"run", "run a script of commands on one client (locks held across lines)", usage_text, run}; }

}  // namespace ostd::client::ostio
