#include "client/ostio/write_command.hpp"

#include <array>
#include <cstring>
#include <fstream>
#include <iterator>
#include <ostream>

#include "client/ostio/json.hpp"
#include "client/ostio/layout_options.hpp"
#include "client/ostio/object_command.hpp"

namespace ostd::client::ostio {

namespace {

constexpr std::string_view usage_text =
    "usage: ostio write NID OBJECT --offset O --size S [--pattern SEED | --file F] [options]\n"
    "       ostio write --ost NID [--ost NID ...] OBJECT ... [layout options]\n"
    "\n"
    "Writes S bytes at offset O of the object under a PW extent lock (through\n"
    "the writeback cache), then flushes them (OST_WRITE with bulk) and syncs.\n"
    "The data is the test pattern of SEED (default 1) or the file's bytes.\n"
    "Striped (--ost): each stripe's bytes go to its object on its appliance,\n"
    "under a lock on that object.\n"
    "\n"
    "  --offset O     where to write (default 0)\n"
    "  --size S       how many bytes (default: the file's size)\n"
    "  --pattern SEED the test pattern (see read --verify-pattern)\n"
    "  --file F       the bytes of file F\n";

constexpr std::array<OptionSpec, 4> specs{{{"offset", true}, {"size", true}, {"pattern", true}, {"file", true}}};

lnet::Result<std::vector<std::byte>, std::string> data_for(const ObjectArgs& args, uint64_t offset)
{
    if (auto file = args.parsed.value("file")) {
        if (args.parsed.has("pattern"))
            return std::string("--pattern and --file exclude each other");
        std::ifstream in{std::string(*file), std::ios::binary};
        if (!in)
            return "cannot read " + std::string(*file);
        std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::vector<std::byte> bytes(chars.size());
        std::memcpy(bytes.data(), chars.data(), chars.size());
        if (args.parsed.has("size")) {
            auto size = uint_option(args.parsed, "size", 0, 0, bytes.size());
            if (!size)
                return size.error();
            bytes.resize(*size);
        }
        return bytes;
    }
    auto size = uint_option(args.parsed, "size", 0, 1, 1ull << 32);
    auto seed = uint_option(args.parsed, "pattern", 1, 0, UINT64_MAX);
    if (!size)
        return size.error();
    if (!seed)
        return seed.error();
    if (!args.parsed.has("size"))
        return std::string("--size is needed with a pattern");
    std::vector<std::byte> bytes(*size);
    fill_pattern(*seed, offset, bytes);
    return bytes;
}

int run(std::span<const std::string_view> raw, CommandIo io)
{
    auto args = read_object_args(raw, specs, true);
    auto offset = args ? uint_option(args->parsed, "offset", 0, 0, UINT64_MAX / 2) : lnet::Result<uint64_t, std::string>(0);
    auto data = args && offset ? data_for(*args, *offset) : lnet::Result<std::vector<std::byte>, std::string>(std::string());
    std::string error = !args ? args.error() : !offset ? offset.error() : !data ? data.error() : "";
    if (!error.empty()) {
        io.err << "ostio write: " << error << "\n" << usage_text << connection_usage << layout_usage;
        return exit_usage;
    }
    auto opened = open_file(*args);
    if (!opened) {
        io.err << "ostio write: " << opened.error() << "\n";
        return exit_failed;
    }
    StripedFile& file = **opened;
    auto start = std::chrono::steady_clock::now();
    auto written = file.write(*offset, data.value());
    lnet::Result<bool, RpcError> synced = written ? file.fsync() : lnet::Result<bool, RpcError>(written.error());
    auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    auto locks = file_locks(file);
    file.disconnect();
    if (!synced) {
        io.err << "ostio write: " << synced.error().detail << "\n";
        return exit_failed;
    }
    uint64_t rpcs = file_write_rpcs(file);
    if (args->json)
        io.out << "{\"object\":" << json_string(object_text(args->object)) << ",\"offset\":" << *offset
               << ",\"bytes\":" << data->size() << ",\"write_rpcs\":" << rpcs << ",\"seconds\":" << elapsed
               << (args->layout ? ",\"layout\":" + layout_json(*args->layout) : std::string())
               << ",\"locks\":" << locks_json(locks) << "}\n";
    else {
        io.out << "wrote " << data->size() << " bytes at " << *offset << " of object " << object_text(args->object)
               << " in " << rpcs << " OST_WRITE RPCs, " << elapsed << " s\n";
        if (args->layout)
            io.out << "layout: " << layout_text(*args->layout) << "\n";
        print_locks(locks, io.out);
    }
    return exit_ok;
}

}  // namespace

Command write_command() { return Command{"write", "write bytes to an object (PW lock, writeback, fsync)", usage_text, run}; }

}  // namespace ostd::client::ostio
