#include "client/ostio/object_command.hpp"

#include <cstdio>

#include "client/ostio/json.hpp"
#include "client/ostio/layout_options.hpp"
#include "client/ostio/repeated_option.hpp"

namespace ostd::client::ostio {

lnet::Result<ObjectId, std::string> parse_object(std::string_view text)
{
    ObjectId object;
    auto colon = text.find(':');
    std::string_view id = colon == std::string_view::npos ? text : text.substr(colon + 1);
    if (colon != std::string_view::npos) {
        auto seq = parse_uint(text.substr(0, colon), 0, UINT64_MAX);
        if (!seq)
            return "bad object '" + std::string(text) + "' (expected ID or SEQ:ID)";
        object.seq = *seq;
    }
    auto value = parse_uint(id, 0, UINT64_MAX);
    if (!value)
        return "bad object '" + std::string(text) + "' (expected ID or SEQ:ID)";
    object.id = *value;
    return object;
}

lnet::Result<ObjectArgs, std::string> read_object_args(std::span<const std::string_view> raw_args,
                                                       std::span<const OptionSpec> specs, bool striped)
{
    std::vector<std::string_view> raw(raw_args.begin(), raw_args.end());
    std::vector<std::string_view> osts;
    if (striped) {
        auto taken = take_repeated(raw, "ost");
        if (!taken)
            return taken.error();
        osts = *taken;
    }
    std::vector<OptionSpec> all(std::begin(connection_specs), std::end(connection_specs));
    all.insert(all.end(), specs.begin(), specs.end());
    if (striped)
        all.insert(all.end(), std::begin(layout_specs), std::end(layout_specs));
    auto parsed = parse_options(raw, all);
    if (!parsed)
        return parsed.error();
    const size_t expected = osts.empty() ? 2 : 1;
    if (parsed->positional.size() != expected)
        return std::string(osts.empty() ? "expected NID and OBJECT" : "expected OBJECT (the appliances are the --ost)") +
               ", got " + std::to_string(parsed->positional.size()) + " arguments";
    auto nid = parse_target_nid(osts.empty() ? parsed->positional[0] : osts.front());
    if (!nid)
        return nid.error();
    auto object = parse_object(parsed->positional[expected - 1]);
    if (!object)
        return object.error();
    auto connection = connection_options(*parsed);
    if (!connection)
        return connection.error();
    auto layout = read_layout(osts, *parsed, *object, connection->port);
    if (!layout)
        return layout.error();
    ObjectArgs args;
    args.config.server = *nid;
    args.config.port = connection->port;
    args.config.timeout = connection->timeout;
    args.config.resends = connection->resends;
    args.config.loss = connection->loss;
    args.object = *object;
    args.json = parsed->has("json");
    args.no_expand = parsed->has("no-expand");
    args.parsed = *parsed;
    args.layout = *layout;
    return args;
}

lnet::Result<std::unique_ptr<OstClient>, std::string> connect_client(const ObjectArgs& args)
{
    return OstClient::connect(args.config);
}

lnet::Result<std::unique_ptr<StripedFile>, std::string> open_file(const ObjectArgs& args)
{
    if (args.layout)
        return StripedFile::open(*args.layout, args.config, {.no_expand = args.no_expand});
    auto one = Layout::make(default_stripe_size, {{args.config.server, args.object, args.config.port}});
    return StripedFile::open(*one, args.config, {.no_expand = args.no_expand});
}

std::vector<ClientLock> file_locks(StripedFile& file)
{
    std::vector<ClientLock> locks;
    for (OstClient* client : file.clients()) {
        auto held = client->locks().snapshot();
        locks.insert(locks.end(), held.begin(), held.end());
    }
    return locks;
}

uint64_t file_write_rpcs(StripedFile& file)
{
    uint64_t rpcs = 0;
    for (OstClient* client : file.clients())
        rpcs += client->io().counters().write_rpcs.get();
    return rpcs;
}

namespace {

uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

std::byte pattern_byte(uint64_t seed, uint64_t at)
{
    return static_cast<std::byte>(mix(seed ^ mix(at / 8)) >> (8 * (at % 8)));
}

}  // namespace

void fill_pattern(uint64_t seed, uint64_t offset, std::span<std::byte> out)
{
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = pattern_byte(seed, offset + i);
}

std::optional<uint64_t> check_pattern(uint64_t seed, uint64_t offset, std::span<const std::byte> data)
{
    for (size_t i = 0; i < data.size(); ++i)
        if (data[i] != pattern_byte(seed, offset + i))
            return offset + i;
    return std::nullopt;
}

std::string object_text(ObjectId object)
{
    return object.seq ? std::to_string(object.seq) + ":" + std::to_string(object.id) : std::to_string(object.id);
}

namespace {

std::string end_text(uint64_t end) { return end == object_eof ? "EOF" : std::to_string(end); }

std::string_view state_name(LockState state)
{
    switch (state) {
    case LockState::enqueuing: return "enqueuing";
    case LockState::waiting: return "waiting";
    case LockState::granted: return "granted";
    }
    return "?";
}

std::string hex(uint64_t value)
{
    char text[24];
    std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
    return text;
}

}  // namespace

void print_locks(const std::vector<ClientLock>& locks, std::ostream& out)
{
    out << locks.size() << (locks.size() == 1 ? " lock\n" : " locks\n");
    for (const ClientLock& lock : locks)
        out << "  object " << object_text(lock.object) << " " << mode_name(lock.mode) << " [" << lock.extent.start
            << ", " << end_text(lock.extent.end) << "] " << state_name(lock.state) << ", cookie " << hex(lock.cookie)
            << ", server handle " << hex(lock.server_handle)
            << ((lock.flags & ptlrpc::ldlm_flag::no_expansion) ? ", no-expand" : "") << "\n";
}

std::string locks_json(const std::vector<ClientLock>& locks)
{
    std::string out = "[";
    for (size_t i = 0; i < locks.size(); ++i) {
        const ClientLock& lock = locks[i];
        out += (i ? "," : "");
        out += "{\"object\":" + json_string(object_text(lock.object)) + ",\"mode\":" +
               json_string(mode_name(lock.mode)) + ",\"start\":" + std::to_string(lock.extent.start) +
               ",\"end\":" + (lock.extent.end == object_eof ? std::string("\"EOF\"") : std::to_string(lock.extent.end)) +
               ",\"state\":" + json_string(state_name(lock.state)) + ",\"cookie\":" + json_string(hex(lock.cookie)) +
               ",\"server_handle\":" + json_string(hex(lock.server_handle)) + ",\"no_expand\":" +
               ((lock.flags & ptlrpc::ldlm_flag::no_expansion) ? "true" : "false") + "}";
    }
    return out + "]";
}

}  // namespace ostd::client::ostio
