#include "client/ostio/bench_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "client/ostio/json.hpp"
#include "client/ostio/layout_options.hpp"
#include "client/ostio/lru_option.hpp"
#include "client/ostio/repeated_option.hpp"
#include "client/ostio/object_command.hpp"

#include "client/strided_writer.hpp"

extern char** environ;

namespace ostd::client::ostio {

namespace {

constexpr std::string_view usage_text =
    "usage: ostio bench strided NID --clients N --block SIZE --blocks-per-client M\n"
    "                         --mode expand|noexpand|lockahead|fpp [options]\n"
    "       ostio bench strided --ost NID [--ost NID ...] [--stripe-size S] [--stripe-count C] ...\n"
    "\n"
    "Shared-file strided writes: N client processes (this program, each with its\n"
    "own client, pid and socket) write alternate blocks of one object: client r\n"
    "writes blocks r, r+N, r+2N, ... (M blocks of SIZE bytes each), then fsyncs.\n"
    "  expand     ordinary writes; the server expands every lock (the default)\n"
    "  noexpand   the clients' locks use NO_EXPANSION (exactly the block)\n"
    "  lockahead  the strided writer: lock ahead of the I/O, no-expand on\n"
    "  fpp        file per process: client r writes M blocks of object ID+r\n"
    "             (striped: file r is objects ID + r x C .. ID + r x C + C-1)\n"
    "Reports the aggregate MiB/s (all bytes / time from the start barrier to the\n"
    "last client's fsync), blocking ASTs and lock enqueues during the write\n"
    "phase, and verifies the whole object (size and every block's owner).\n"
    "\n"
    "  --clients N            client processes (1..64)\n"
    "  --block SIZE           block size, bytes or with K/M suffix (KiB, MiB)\n"
    "  --blocks-per-client M  blocks each client writes\n"
    "  --mode MODE            see above\n"
    "  --client-rate MIB      cap each client's sent datagram bytes at MIB MiB/s\n"
    "                         (a token bucket in its transport; default none)\n"
    "  --object ID            the object (fpp: ID .. ID+N-1; default: time-based)\n"
    "  --batch B              lockahead: extents per advice call (default 500)\n"
    "  --lru-size N           unused locks each client keeps (default 1024)\n"
    "  --ctl PATH             ostd's CLI socket: count the server's blocking ASTs\n"
    "                         and enqueues (show ldlm namespaces, before and after);\n"
    "                         repeat it for several appliances (the counts are summed)\n"
    "  --ost NID              stripe the file over this appliance (repeat, in\n"
    "                         stripe order; then no NID): stripe i is object ID+i\n"
    "  --stripe-size S        bytes per stripe unit, K/M/G suffix (default 1M)\n"
    "  --stripe-count C       stripes (default: one per --ost)\n"
    "  --client-rate with stripes caps each client process: its transports\n"
    "                         (one per appliance) share the rate equally\n"
    "  --max-seconds S        give up on the write phase after S s (default 600)\n"
    "  --no-verify            skip the read-back\n"
    "  --port P, --timeout MS, --resends N, --json  as for the other commands\n"
    "exit status: 0 all clients wrote and the content verified, 1 otherwise\n";

constexpr std::array<OptionSpec, 18> specs{{
    {"clients", true}, {"block", true}, {"blocks-per-client", true}, {"mode", true}, {"client-rate", true},
    {"object", true}, {"batch", true}, {"max-seconds", true}, {"no-verify", false},
    {"rank", true}, {"port", true}, {"timeout", true}, {"resends", true}, {"json", false},
    {"seed", true}, {"stripe-size", true}, {"stripe-count", true}, lru_size_spec,
}};

enum class Mode { expand, noexpand, lockahead, fpp };

std::optional<Mode> parse_mode(std::string_view text)
{
    if (text == "expand") return Mode::expand;
    if (text == "noexpand") return Mode::noexpand;
    if (text == "lockahead") return Mode::lockahead;
    if (text == "fpp") return Mode::fpp;
    return std::nullopt;
}

std::optional<double> parse_rate(std::string_view text)
{
    std::string s(text);
    char* end = nullptr;
    errno = 0;
    double v = std::strtod(s.c_str(), &end);
    if (errno != 0 || end == s.c_str() || *end != '\0' || !(v >= 0) || v > 1e6) return std::nullopt;
    return v;
}

struct BenchArgs {
    lnet::Nid nid;
    std::string nid_text;
    std::vector<std::string> osts;  // --ost, in stripe order (then no nid_text)
    std::optional<Layout> layout;   // the file's (client 0's for fpp)
    ConnectionOptions connection;
    Mode mode = Mode::expand;
    std::string mode_text;
    uint32_t clients = 1;
    uint64_t block = 0;
    uint64_t blocks = 0;
    double rate_mib = 0;
    ObjectId object;
    uint32_t batch = 500;
    std::vector<std::string> ctls;
    uint64_t max_seconds = 600;
    bool verify = true;
    bool json = false;
    uint32_t rank = 0;  // worker
    uint64_t seed = 0;  // pattern salt: client r writes pattern seed + r
    OstClientConfig client;  // what every client's config shares (--lru-size)
};

lnet::Result<BenchArgs, std::string> read_args(std::span<const std::string_view> raw_args, bool worker)
{
    std::vector<std::string_view> raw(raw_args.begin(), raw_args.end());
    auto osts = take_repeated(raw, "ost");
    if (!osts) return osts.error();
    auto ctls = take_repeated(raw, "ctl");
    if (!ctls) return ctls.error();
    auto parsed = parse_options(raw, specs);
    if (!parsed) return parsed.error();
    const size_t expected = osts->empty() ? 1 : 0;
    if (parsed->positional.size() != expected)
        return std::string(osts->empty() ? "expected NID" : "expected no NID (the appliances are the --ost)") +
               ", got " + std::to_string(parsed->positional.size()) + " arguments";
    BenchArgs a;
    a.nid_text = std::string(osts->empty() ? parsed->positional[0] : osts->front());
    auto nid = parse_target_nid(a.nid_text);
    if (!nid) return nid.error();
    a.nid = *nid;
    a.osts.assign(osts->begin(), osts->end());
    a.ctls.assign(ctls->begin(), ctls->end());
    auto connection = connection_options(*parsed);
    if (!connection) return connection.error();
    a.connection = *connection;
    auto mode = parse_mode(parsed->value("mode").value_or(""));
    if (!mode) return std::string("--mode is one of expand, noexpand, lockahead, fpp");
    a.mode = *mode;
    a.mode_text = std::string(*parsed->value("mode"));
    auto clients = uint_option(*parsed, "clients", 1, 1, 64);
    if (!clients) return clients.error();
    a.clients = static_cast<uint32_t>(*clients);
    auto block = parse_size(parsed->value("block").value_or(""));
    if (!block) return std::string("--block SIZE is needed (bytes, or with a K or M suffix)");
    a.block = *block;
    auto blocks = uint_option(*parsed, "blocks-per-client", 0, 1, 1u << 24);
    if (!blocks) return blocks.error();
    if (!parsed->has("blocks-per-client")) return std::string("--blocks-per-client M is needed");
    a.blocks = *blocks;
    if (a.block * a.blocks > (1ull << 30)) return std::string("a client may write at most 1 GiB (SIZE x M)");
    if (auto rate = parsed->value("client-rate")) {
        auto v = parse_rate(*rate);
        if (!v) return std::string("--client-rate is MiB/s, a number >= 0");
        a.rate_mib = *v;
    }
    if (auto object = parsed->value("object")) {
        auto o = parse_object(*object);
        if (!o) return o.error();
        a.object = *o;
    } else {
        auto now = std::chrono::system_clock::now().time_since_epoch();
        a.object.id = 0x5000'0000ull + static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(now).count() % 100'000'000) * 64;
    }
    auto batch = uint_option(*parsed, "batch", 500, 1, 1023);
    if (!batch) return batch.error();
    a.batch = static_cast<uint32_t>(*batch);
    if (auto lru = apply_lru_size(*parsed, a.client); !lru) return lru.error();
    auto max_seconds = uint_option(*parsed, "max-seconds", 600, 1, 86'400);
    if (!max_seconds) return max_seconds.error();
    a.max_seconds = *max_seconds;
    a.verify = !parsed->has("no-verify");
    a.json = parsed->has("json");
    auto layout = read_layout(*osts, *parsed, a.object, a.connection.port);
    if (!layout) return layout.error();
    a.layout = *layout;
    auto seed = uint_option(*parsed, "seed", a.object.id * 131 + 7, 0, UINT64_MAX / 2);
    if (!seed) return seed.error();
    a.seed = *seed;
    if (worker) {
        auto rank = uint_option(*parsed, "rank", 0, 0, a.clients - 1);
        if (!rank) return rank.error();
        a.rank = static_cast<uint32_t>(*rank);
    }
    return a;
}

OstClientConfig client_config(const BenchArgs& a)
{
    OstClientConfig config = a.client;
    config.server = a.nid;
    config.port = a.connection.port;
    config.timeout = a.connection.timeout;
    config.resends = a.connection.resends;
    config.loss = a.connection.loss;
    return config;
}

// The file client r writes: the layout (or one object on the one appliance)
// from the object, which fpp moves on by r files of stripe-count objects.
Layout file_of(const BenchArgs& a, uint32_t rank)
{
    const uint32_t count = a.layout ? a.layout->stripe_count() : 1;
    ObjectId base = a.object;
    if (a.mode == Mode::fpp) base.id += uint64_t{rank} * count;
    std::vector<StripeTarget> stripes;
    for (uint32_t i = 0; i < count; ++i)
        stripes.push_back({a.layout ? a.layout->stripe(i).appliance : a.nid, {.id = base.id + i, .seq = base.seq},
                           a.connection.port});
    return *Layout::make(a.layout ? a.layout->stripe_size() : default_stripe_size, std::move(stripes));
}

lnet::Result<std::unique_ptr<StripedFile>, std::string> open_file_of(const BenchArgs& a, uint32_t rank,
                                                                      OpenOptions options = {})
{
    return StripedFile::open(file_of(a, rank), client_config(a), options);
}

// The worker's client counters, summed over its appliances.
struct ClientTotals {
    uint64_t enqueues = 0, matches = 0, waits = 0, cancels = 0, blocking_asts = 0, completion_asts = 0;
    uint64_t write_rpcs = 0, resends = 0, throttled = 0;
};

ClientTotals totals(StripedFile& file)
{
    ClientTotals t;
    for (OstClient* c : file.clients()) {
        const LockCounters& locks = c->locks().counters();
        t.enqueues += locks.enqueues.get();
        t.matches += locks.matches.get();
        t.waits += locks.waits.get();
        t.cancels += locks.cancels.get();
        t.blocking_asts += locks.blocking_asts.get();
        t.completion_asts += locks.completion_asts.get();
        t.write_rpcs += c->io().counters().write_rpcs.get();
        t.resends += c->rpc().counters().resends.get();
        t.throttled += c->transport().counters().tx_throttled.get();
    }
    return t;
}
uint64_t offset_of(const BenchArgs& a, uint32_t rank, uint64_t j)
{
    return a.mode == Mode::fpp ? j * a.block : (j * a.clients + rank) * a.block;
}

int64_t steady_ns()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// ---- worker ---------------------------------------------------------------

// Reads one line from stdin, serving the client's ASTs meanwhile (a worker
// that has finished may still hold locks the others need). Empty on EOF.
std::string wait_line(StripedFile& client)
{
    std::string line;
    for (;;) {
        pollfd fd{0, POLLIN, 0};
        int ready = ::poll(&fd, 1, 0);
        if (ready > 0) {
            char c;
            ssize_t n = ::read(0, &c, 1);
            if (n <= 0) return line;
            if (c == '\n') return line.empty() ? std::string(" ") : line;
            line += c;
            continue;
        }
        client.progress(std::chrono::milliseconds(5));
    }
}

void say(const std::string& line)
{
    std::string out = line + "\n";
    const char* p = out.data();
    size_t left = out.size();
    while (left > 0) {
        ssize_t n = ::write(1, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        p += n;
        left -= static_cast<size_t>(n);
    }
}

int run_worker(std::span<const std::string_view> raw, CommandIo io)
{
    auto args = read_args(raw, true);
    if (!args) {
        io.err << "ostio bench strided-worker: " << args.error() << "\n";
        return exit_usage;
    }
    const BenchArgs& a = *args;
    std::vector<std::byte> data(a.block * a.blocks);
    for (uint64_t j = 0; j < a.blocks; ++j)
        fill_pattern(a.seed + a.rank, offset_of(a, a.rank, j), std::span(data).subspan(j * a.block, a.block));
    auto opened = open_file_of(a, a.rank, {.no_expand = a.mode == Mode::noexpand});
    if (!opened) {
        say("{\"rank\":" + std::to_string(a.rank) + ",\"error\":" + json_string("connect: " + opened.error()) + "}");
        return exit_failed;
    }
    StripedFile& file = **opened;
    if (a.rate_mib > 0)
        for (OstClient* c : file.clients())
            c->transport().set_rate_limit(
                static_cast<uint64_t>(a.rate_mib * 1024 * 1024 / static_cast<double>(file.clients().size())));
    std::optional<StridedWriter> strided;
    if (a.mode == Mode::lockahead)
        strided.emplace(file, StridedConfig{.writers = a.clients, .rank = a.rank, .stripe_size = a.block,
                                            .batch = a.batch, .lockahead = true});
    say("ready");
    if (wait_line(file) != "go") return exit_failed;

    std::string error;
    auto start = steady_ns();
    for (uint64_t j = 0; j < a.blocks && error.empty(); ++j) {
        uint64_t offset = offset_of(a, a.rank, j);
        auto bytes = std::span<const std::byte>(data).subspan(j * a.block, a.block);
        if (strided) {
            auto written = strided->write(offset, bytes);
            if (!written) error = "write at " + std::to_string(offset) + ": " + written.error();
            continue;
        }
        auto written = file.write(offset, bytes);
        if (!written) error = "write at " + std::to_string(offset) + ": " + written.error().detail;
    }
    if (error.empty())
        if (auto synced = file.fsync(); !synced) error = "fsync: " + synced.error().detail;
    auto end = steady_ns();

    const ClientTotals t = totals(file);
    std::ostringstream out;
    out << "{\"rank\":" << a.rank << ",\"start_ns\":" << start << ",\"end_ns\":" << end
        << ",\"bytes\":" << data.size() << ",\"enqueues\":" << t.enqueues << ",\"matches\":" << t.matches
        << ",\"waits\":" << t.waits << ",\"cancels\":" << t.cancels << ",\"blocking_asts\":" << t.blocking_asts
        << ",\"completion_asts\":" << t.completion_asts << ",\"write_rpcs\":" << t.write_rpcs
        << ",\"resends\":" << t.resends << ",\"throttled\":" << t.throttled;
    if (strided) out << ",\"lockahead_enabled\":" << (strided->lockahead_enabled() ? "true" : "false");
    if (!error.empty()) out << ",\"error\":" << json_string(error);
    out << "}";
    say(out.str());
    wait_line(file);  // "exit" (or EOF): the coordinator has read the server's counters
    strided.reset();
    file.disconnect();
    return error.empty() ? exit_ok : exit_failed;
}

// ---- coordinator ------------------------------------------------------------

std::string quoted(std::string_view key, std::string_view tail = "")
{
    std::string needle;
    needle.reserve(key.size() + tail.size() + 2);
    needle.push_back('"');
    needle.append(key);
    needle.push_back('"');
    needle.append(tail);
    return needle;
}

// A number after "key": in a flat JSON object text; nothing if absent.
std::optional<double> json_number(std::string_view text, std::string_view key)
{
    std::string needle = quoted(key);
    auto at = text.find(needle);
    if (at == std::string_view::npos) return std::nullopt;
    at = text.find(':', at + needle.size());
    if (at == std::string_view::npos) return std::nullopt;
    std::string rest(text.substr(at + 1, 32));
    char* end = nullptr;
    double v = std::strtod(rest.c_str(), &end);
    if (end == rest.c_str()) return std::nullopt;
    return v;
}
std::optional<std::string> json_text(std::string_view text, std::string_view key)
{
    std::string needle = quoted(key, ":\"");
    auto at = text.find(needle);
    if (at == std::string_view::npos) return std::nullopt;
    auto end = text.find('"', at + needle.size());
    return std::string(text.substr(at + needle.size(), end - at - needle.size()));
}

struct ServerCounters {
    uint64_t enqueues = 0;
    uint64_t blocking_asts = 0;
    uint64_t completion_asts = 0;
    uint64_t cancels = 0;
};

// `show ldlm namespaces` as JSON over ostd's CLI socket; the namespaces'
// counters summed.
lnet::Result<ServerCounters, std::string> read_server_counters(const std::string& path)
{
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof address.sun_path) return "socket path too long: " + path;
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        std::string error = "cannot reach ostd at " + path + ": " + std::strerror(errno);
        if (fd >= 0) ::close(fd);
        return error;
    }
    timeval timeout{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    std::string request = "set output json\nshow ldlm namespaces\n";
    bool sent = ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size());
    ::shutdown(fd, SHUT_WR);
    std::string answer;
    char buffer[8192];
    ssize_t n;
    while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) answer.append(buffer, static_cast<size_t>(n));
    ::close(fd);
    if (!sent || n < 0) return "no answer from ostd at " + path;
    // The namespaces' list: from "namespaces" to its closing bracket.
    auto at = answer.find("\"namespaces\"");
    if (at == std::string::npos) return "no namespaces in ostd's answer: " + answer.substr(0, 200);
    at = answer.find('[', at);
    size_t end = at;
    for (int depth = 0; end < answer.size(); ++end) {
        if (answer[end] == '[') ++depth;
        if (answer[end] == ']' && --depth == 0) break;
    }
    std::string_view list = std::string_view(answer).substr(at, end - at);
    ServerCounters counters;
    auto sum = [&](std::string_view key, uint64_t& into) {
        std::string needle = quoted(key);
        for (size_t pos = list.find(needle); pos != std::string_view::npos; pos = list.find(needle, pos + 1))
            if (auto v = json_number(list.substr(pos), key)) into += static_cast<uint64_t>(*v);
    };
    sum("enqueues", counters.enqueues);
    sum("blocking_asts", counters.blocking_asts);
    sum("completion_asts", counters.completion_asts);
    sum("cancels", counters.cancels);
    return counters;
}

// Summed over several appliances' CLI sockets.
lnet::Result<ServerCounters, std::string> read_server_counters(const std::vector<std::string>& paths)
{
    ServerCounters total;
    for (const std::string& path : paths) {
        auto one = read_server_counters(path);
        if (!one) return one.error();
        total.enqueues += one->enqueues;
        total.blocking_asts += one->blocking_asts;
        total.completion_asts += one->completion_asts;
        total.cancels += one->cancels;
    }
    return total;
}

struct Worker {
    pid_t pid = -1;
    int to = -1;    // its stdin
    int from = -1;  // its stdout
    std::string buffer;
    std::string result;
    bool ready = false;
    bool done = false;
    bool eof = false;
};

std::string self_exe()
{
    char path[4096];
    ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) return "ostio";
    return std::string(path, static_cast<size_t>(n));
}

lnet::Result<bool, std::string> spawn(Worker& w, const std::string& exe, const std::vector<std::string>& argv)
{
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0)
        return std::string("pipe: ") + std::strerror(errno);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    std::vector<char*> args;
    for (const auto& s : argv) args.push_back(const_cast<char*>(s.c_str()));
    args.push_back(nullptr);
    int rc = ::posix_spawn(&w.pid, exe.c_str(), &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    w.to = in[1];
    w.from = out[0];
    if (rc != 0) {
        w.pid = -1;
        return "posix_spawn " + exe + ": " + std::strerror(rc);
    }
    return true;
}

void tell(Worker& w, std::string_view line)
{
    std::string s(line);
    s += '\n';
    if (w.to >= 0) (void)!::write(w.to, s.data(), s.size());
}

// Reads the workers' lines until `until` holds for every worker or the
// deadline passes; each complete line goes to on_line.
template <typename Until, typename OnLine>
bool pump(std::vector<Worker>& workers, std::chrono::steady_clock::time_point deadline, Until until, OnLine on_line)
{
    for (;;) {
        bool all = true;
        for (auto& w : workers) all = all && (until(w) || w.eof);
        if (all) {
            for (auto& w : workers)
                if (!until(w)) return false;
            return true;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        std::vector<pollfd> fds;
        for (auto& w : workers) fds.push_back({w.eof ? -1 : w.from, POLLIN, 0});
        int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::min<int64_t>(left.count(), 1000)));
        if (ready < 0 && errno != EINTR) return false;
        for (size_t i = 0; i < workers.size(); ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buffer[4096];
            ssize_t n = ::read(workers[i].from, buffer, sizeof buffer);
            if (n <= 0) {
                workers[i].eof = true;
                continue;
            }
            workers[i].buffer.append(buffer, static_cast<size_t>(n));
            size_t nl;
            while ((nl = workers[i].buffer.find('\n')) != std::string::npos) {
                on_line(workers[i], workers[i].buffer.substr(0, nl));
                workers[i].buffer.erase(0, nl + 1);
            }
        }
    }
}

struct Verification {
    bool ok = true;
    uint64_t size = 0;
    std::string error;
};

// Client r's blocks of file o, each holding its pattern; the file's size by glimpse(s).
Verification verify_file(const BenchArgs& a, uint32_t o)
{
    Verification v;
    auto opened = open_file_of(a, o);
    if (!opened) return {false, 0, "verify: connect: " + opened.error()};
    StripedFile& file = **opened;
    const std::string name = "object " + object_text(file.object(0).object) +
                             (file.layout().stripe_count() > 1 ? " (striped)" : "");
    uint64_t expected = a.mode == Mode::fpp ? a.block * a.blocks : a.block * a.blocks * a.clients;
    uint64_t chunk_blocks = std::max<uint64_t>(1, (4ull << 20) / a.block);
    std::vector<std::byte> buffer(chunk_blocks * a.block);
    auto stat = file.stat();
    if (!stat) return {false, 0, "verify: stat: " + stat.error().detail};
    v.size = stat->size;
    if (stat->size != expected)
        return {false, v.size, name + " has " + std::to_string(stat->size) + " bytes, expected " + std::to_string(expected)};
    uint64_t total_blocks = expected / a.block;
    for (uint64_t b = 0; b < total_blocks && v.ok; b += chunk_blocks) {
        uint64_t n = std::min(chunk_blocks, total_blocks - b);
        auto out = std::span(buffer).first(n * a.block);
        auto got = file.read(b * a.block, out);
        if (!got) return {false, v.size, "verify: read: " + got.error().detail};
        if (*got != out.size()) return {false, v.size, "short read at " + std::to_string(b * a.block)};
        for (uint64_t k = 0; k < n && v.ok; ++k) {
            uint64_t block = b + k;
            uint32_t owner = a.mode == Mode::fpp ? o : static_cast<uint32_t>(block % a.clients);
            uint64_t offset = block * a.block;
            if (auto bad = check_pattern(a.seed + owner, offset, out.subspan(k * a.block, a.block)))
                v = {false, v.size, name + " block " + std::to_string(block) + ": byte " + std::to_string(*bad) +
                                        " is not client " + std::to_string(owner) + "'s"};
        }
    }
    file.disconnect();
    return v;
}

Verification verify(const BenchArgs& a)
{
    Verification v;
    for (uint32_t o = 0; o < (a.mode == Mode::fpp ? a.clients : 1) && v.ok; ++o)
        v = verify_file(a, o);
    return v;
}

int run_coordinator(std::span<const std::string_view> raw, CommandIo io)
{
    auto args = read_args(raw, false);
    if (!args) {
        io.err << "ostio bench strided: " << args.error() << "\n" << usage_text;
        return exit_usage;
    }
    const BenchArgs& a = *args;
    std::string exe = self_exe();
    std::vector<Worker> workers(a.clients);
    auto fail = [&](const std::string& why) {
        for (auto& w : workers) {
            if (w.to >= 0) ::close(w.to);
            if (w.pid > 0) ::kill(w.pid, SIGTERM);
        }
        for (auto& w : workers)
            if (w.pid > 0) ::waitpid(w.pid, nullptr, 0);
        io.err << "ostio bench strided: " << why << "\n";
        return exit_failed;
    };
    char rate[64];
    std::snprintf(rate, sizeof rate, "%.6g", a.rate_mib);
    for (uint32_t r = 0; r < a.clients; ++r) {
        std::vector<std::string> argv{"ostio", "bench", "strided-worker",
                                      "--rank", std::to_string(r), "--clients", std::to_string(a.clients),
                                      "--block", std::to_string(a.block), "--blocks-per-client", std::to_string(a.blocks),
                                      "--mode", a.mode_text, "--object", object_text(a.object),
                                      "--client-rate", rate, "--batch", std::to_string(a.batch),
                                      "--lru-size", std::to_string(a.client.locks.lru_size),
                                      "--seed", std::to_string(a.seed),
                                      "--port", std::to_string(a.connection.port),
                                      "--timeout", std::to_string(a.connection.timeout.count()),
                                      "--resends", std::to_string(a.connection.resends)};
        if (a.layout) {
            for (const std::string& ost : a.osts) argv.insert(argv.end(), {"--ost", ost});
            argv.insert(argv.end(), {"--stripe-size", std::to_string(a.layout->stripe_size()), "--stripe-count",
                                     std::to_string(a.layout->stripe_count())});
        } else {
            argv.push_back(a.nid_text);
        }
        if (auto spawned = spawn(workers[r], exe, argv); !spawned) return fail(spawned.error());
    }
    std::string worker_error;
    auto on_line = [&](Worker& w, const std::string& line) {
        if (line == "ready") {
            w.ready = true;
        } else if (!line.empty() && line[0] == '{') {
            w.result = line;
            w.done = true;
            if (auto e = json_text(line, "error")) worker_error = *e;
        }
    };
    using clock = std::chrono::steady_clock;
    if (!pump(workers, clock::now() + std::chrono::seconds(60), [](const Worker& w) { return w.ready || w.done; }, on_line) ||
        !worker_error.empty())
        return fail("the clients did not all connect" + (worker_error.empty() ? "" : ": " + worker_error));

    ServerCounters before, after;
    bool have_server = !a.ctls.empty();
    if (have_server) {
        auto got = read_server_counters(a.ctls);
        if (!got) return fail(got.error());
        before = *got;
    }
    int64_t start = steady_ns();
    for (auto& w : workers) tell(w, "go");
    bool finished = pump(workers, clock::now() + std::chrono::seconds(a.max_seconds),
                         [](const Worker& w) { return w.done; }, on_line);
    if (have_server && finished) {
        auto got = read_server_counters(a.ctls);
        if (!got) return fail(got.error());
        after = *got;
    }
    for (auto& w : workers) {
        tell(w, "exit");
        ::close(w.to);
        w.to = -1;
    }
    bool exited_ok = true;
    for (auto& w : workers) {
        int status = 0;
        if (!finished) ::kill(w.pid, SIGTERM);
        ::waitpid(w.pid, &status, 0);
        exited_ok = exited_ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
        ::close(w.from);
    }
    if (!finished) return fail("the write phase did not finish within " + std::to_string(a.max_seconds) + " s");
    if (!worker_error.empty()) return fail("a client failed: " + worker_error);

    int64_t last_end = start;
    uint64_t bytes = 0, enqueues = 0, blocking = 0, waits = 0, resends = 0, throttled = 0, write_rpcs = 0;
    bool lockahead_on = true, have_lockahead = false;
    std::vector<double> client_seconds;
    for (auto& w : workers) {
        last_end = std::max<int64_t>(last_end, static_cast<int64_t>(json_number(w.result, "end_ns").value_or(0)));
        bytes += static_cast<uint64_t>(json_number(w.result, "bytes").value_or(0));
        enqueues += static_cast<uint64_t>(json_number(w.result, "enqueues").value_or(0));
        blocking += static_cast<uint64_t>(json_number(w.result, "blocking_asts").value_or(0));
        waits += static_cast<uint64_t>(json_number(w.result, "waits").value_or(0));
        resends += static_cast<uint64_t>(json_number(w.result, "resends").value_or(0));
        throttled += static_cast<uint64_t>(json_number(w.result, "throttled").value_or(0));
        write_rpcs += static_cast<uint64_t>(json_number(w.result, "write_rpcs").value_or(0));
        client_seconds.push_back((json_number(w.result, "end_ns").value_or(0) - static_cast<double>(start)) / 1e9);
        if (w.result.find("\"lockahead_enabled\":") != std::string::npos) {
            have_lockahead = true;
            lockahead_on = lockahead_on && w.result.find("\"lockahead_enabled\":true") != std::string::npos;
        }
    }
    double seconds = static_cast<double>(last_end - start) / 1e9;
    double mib_s = seconds > 0 ? static_cast<double>(bytes) / (1024.0 * 1024.0) / seconds : 0;
    Verification v;
    if (a.verify) v = verify(a);

    if (a.json) {
        std::ostringstream out;
        out << "{\"mode\":" << json_string(a.mode_text) << ",\"clients\":" << a.clients << ",\"block\":" << a.block
            << ",\"blocks_per_client\":" << a.blocks << ",\"client_rate_mib\":" << a.rate_mib
            << ",\"object\":" << json_string(object_text(a.object)) << ",\"bytes\":" << bytes
            << ",\"seconds\":" << seconds << ",\"mib_per_s\":" << mib_s << ",\"client_seconds\":[";
        for (size_t i = 0; i < client_seconds.size(); ++i) out << (i ? "," : "") << client_seconds[i];
        out << "],\"client_enqueues\":" << enqueues << ",\"client_blocking_asts\":" << blocking
            << ",\"client_waits\":" << waits << ",\"write_rpcs\":" << write_rpcs << ",\"resends\":" << resends
            << ",\"throttled_sends\":" << throttled;
        if (a.layout) out << ",\"layout\":" << layout_json(*a.layout);
        if (have_server)
            out << ",\"server\":{\"enqueues\":" << after.enqueues - before.enqueues
                << ",\"blocking_asts\":" << after.blocking_asts - before.blocking_asts
                << ",\"completion_asts\":" << after.completion_asts - before.completion_asts
                << ",\"cancels\":" << after.cancels - before.cancels << "}";
        if (have_lockahead) out << ",\"lockahead_enabled\":" << (lockahead_on ? "true" : "false");
        out << ",\"verified\":" << (a.verify ? (v.ok ? "true" : "false") : "null") << ",\"size\":" << v.size;
        if (!v.error.empty()) out << ",\"verify_error\":" << json_string(v.error);
        out << "}\n";
        io.out << out.str();
    } else {
        io.out << a.mode_text << ", " << a.clients << " clients x " << a.blocks << " blocks of " << a.block
               << " bytes" << (a.rate_mib > 0 ? ", each capped at " + std::string(rate) + " MiB/s" : "") << ": "
               << bytes << " bytes in " << seconds << " s = " << mib_s << " MiB/s\n"
               << "  locks: " << enqueues << " enqueues, " << waits << " waited, " << blocking
               << " blocking ASTs received (clients)";
        if (have_server)
            io.out << "; server: " << after.enqueues - before.enqueues << " enqueues, "
                   << after.blocking_asts - before.blocking_asts << " blocking ASTs";
        io.out << "\n  " << write_rpcs << " OST_WRITE RPCs, " << resends << " resends\n";
        if (a.layout) io.out << "  layout: " << layout_text(*a.layout) << "\n";
        if (have_lockahead) io.out << "  lockahead " << (lockahead_on ? "stayed on" : "was turned off") << "\n";
        if (a.verify)
            io.out << "  content: " << (v.ok ? "verified (" + std::to_string(v.size) + " bytes)" : v.error) << "\n";
    }
    if (!v.ok) io.err << "ostio bench strided: " << v.error << "\n";
    if (!exited_ok) io.err << "ostio bench strided: a client did not exit cleanly\n";
    return v.ok && exited_ok ? exit_ok : exit_failed;
}

int run(std::span<const std::string_view> args, CommandIo io)
{
    if (args.empty()) {
        io.err << usage_text;
        return exit_usage;
    }
    if (args[0] == "strided") return run_coordinator(args.subspan(1), io);
    if (args[0] == "strided-worker") return run_worker(args.subspan(1), io);
    io.err << "ostio bench: unknown benchmark '" << args[0] << "'\n" << usage_text;
    return exit_usage;
}

}  // namespace

Command bench_command()
{
    return Command{"bench", "shared-file strided writes from N client processes", usage_text, run};
}

}  // namespace ostd::client::ostio
