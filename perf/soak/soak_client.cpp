#include "perf/soak/soak_client.hpp"

#include <algorithm>

#include "client/ladvise.hpp"
#include "client/local_nid.hpp"

namespace ostd::perf::soak {
namespace {

bool is_hole(std::span<const std::byte> bytes)
{
    return std::all_of(bytes.begin(), bytes.end(), [](std::byte b) { return b == std::byte{0}; });
}

}  // namespace

using client::OpenObject;
using client::OstClient;

void SoakTally::add(const SoakTally& other)
{
    writes += other.writes;
    reads += other.reads;
    stats += other.stats;
    lockaheads += other.lockaheads;
    bytes_written += other.bytes_written;
    bytes_read += other.bytes_read;
    mismatches += other.mismatches;
    failures += other.failures;
    short_reads += other.short_reads;
    if (first_problem.empty())
        first_problem = other.first_problem;
}

void SoakTally::problem(std::string what, bool mismatch)
{
    ++(mismatch ? mismatches : failures);
    if (first_problem.empty())
        first_problem = std::move(what);
}

client::OstClientConfig soak_client_config(const SoakOptions& options, unsigned index)
{
    client::OstClientConfig config;
    config.server = options.server;
    config.port = options.port;
    config.timeout = options.rpc_timeout;
    config.pid = client::user_pid() + 1 + index;  // several clients in one process: one pid each
    return config;
}

SoakClient::SoakClient(unsigned index, const SoakOptions& options, std::deque<SharedObject>& objects)
    : _index(index), _options(options), _objects(objects), _random(options.seed * 1000003 + index),
      _buffer(options.max_io)
{
}

SoakTally SoakClient::run(std::chrono::steady_clock::time_point deadline)
{
    auto connected = OstClient::connect(soak_client_config(_options, _index));
    if (!connected) {
        _tally.problem("client " + std::to_string(_index) + ": " + connected.error(), false);
        return _tally;
    }
    OstClient& client = **connected;
    std::vector<OpenObject> files;
    for (SharedObject& object : _objects)  // odd clients lock without expansion, as lockahead users do
        files.push_back(client.open(object.id, {.no_expand = _index % 2 == 1}));

    while (std::chrono::steady_clock::now() < deadline) {
        size_t which = below(_objects.size());
        uint64_t dice = below(100);
        if (dice < _options.write_pct)
            write(client, _objects[which], files[which]);
        else if (dice < _options.write_pct + _options.read_pct)
            read(client, _objects[which], files[which]);
        else if (dice < _options.write_pct + _options.read_pct + _options.stat_pct)
            stat(client, _objects[which], files[which]);
        else
            lockahead(client, files[which]);
    }
    if (auto done = client.disconnect(); !done)
        _tally.problem("client " + std::to_string(_index) + ": disconnect: " + done.error().detail, false);
    return _tally;
}

void SoakClient::write(OstClient& client, SharedObject& object, const OpenObject& file)
{
    uint64_t length = 1 + below(_options.max_io);
    uint64_t offset = below(_options.object_span - length + 1);
    std::span<std::byte> data(_buffer.data(), length);
    for (std::byte& b : data)
        b = static_cast<std::byte>(_random());
    auto turn = take_turn(object, client);
    auto wrote = client.write(file, offset, data);
    if (!wrote || *wrote != length) {
        _tally.problem("write: " + (wrote ? "short" : wrote.error().detail), false);
        return;
    }
    object.apply_write(offset, data);
    ++_tally.writes;
    _tally.bytes_written += length;
}

void SoakClient::read(OstClient& client, SharedObject& object, const OpenObject& file)
{
    uint64_t length = 1 + below(_options.max_io);
    uint64_t offset = below(_options.object_span - length + 1);
    std::span<std::byte> out(_buffer.data(), length);
    auto turn = take_turn(object, client);
    auto got = client.read(file, offset, out);
    if (!got) {
        _tally.problem("read: " + got.error().detail, false);
        return;
    }
    ++_tally.reads;
    _tally.bytes_read += *got;
    uint64_t valid = *got;
    auto expected = object.expected(offset, length);
    if (valid < expected.size() && is_hole(expected.subspan(valid))) {
        // The client reads up to the size the OST and this client know of;
        // another client's unflushed writes further on make the object longer
        // (Lustre's read glimpses for that size; ours does not yet). What lies
        // between is a hole: zeros. Counted, so the gap stays visible.
        ++_tally.short_reads;
        std::fill(out.begin() + static_cast<std::ptrdiff_t>(valid),
                  out.begin() + static_cast<std::ptrdiff_t>(expected.size()), std::byte{0});
        valid = expected.size();
    }
    std::string difference = object.compare(offset, out.first(valid), length);
    if (!difference.empty())
        _tally.problem("client " + std::to_string(_index) + ": " + difference, true);
}

void SoakClient::stat(OstClient& client, SharedObject& object, const OpenObject& file)
{
    auto turn = take_turn(object, client);
    auto got = client.stat(file);
    if (!got) {
        _tally.problem("stat: " + got.error().detail, false);
        return;
    }
    ++_tally.stats;
    if (got->size != object.size)
        _tally.problem("object " + std::to_string(object.id.id) + ": stat says " + std::to_string(got->size) +
                           " bytes, " + std::to_string(object.size) + " were written",
                       true);
}

// A few write extents ahead, sent without waiting (speculative: a conflict
// is refused, never called back); the writes that follow may use them.
void SoakClient::lockahead(OstClient& client, const OpenObject& file)
{
    constexpr uint64_t block = 64 << 10;
    std::vector<client::LadviseExtent> extents(1 + below(8));
    for (client::LadviseExtent& e : extents) {
        e.start = below(_options.object_span / block) * block;
        e.end = e.start + block - 1;
    }
    auto sent = client::lockahead(client, file, client::LadviseMode::write, extents, client::ladvise_flag::async);
    if (!sent) {
        _tally.problem("lockahead: errno " + std::to_string(-sent.error()), false);
        return;
    }
    ++_tally.lockaheads;
}

}  // namespace ostd::perf::soak
