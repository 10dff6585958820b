#include "client/ostio/read_command.hpp"

#include <array>
#include <fstream>
#include <ostream>

#include "client/ostio/json.hpp"
#include "client/ostio/layout_options.hpp"
#include "client/ostio/object_command.hpp"

namespace ostd::client::ostio {

namespace {

constexpr std::string_view usage_text =
    "usage: ostio read NID OBJECT --offset O --size S [--verify-pattern SEED] [--out F] [options]\n"
    "       ostio read --ost NID [--ost NID ...] OBJECT ... [layout options]\n"
    "\n"
    "Reads up to S bytes at offset O of the object under a PR extent lock\n"
    "(OST_READ, the server PUTs into our bulk buffer). Striped (--ost): each\n"
    "stripe's part from its object, holes as zeros, short only at end of file.\n"
    "\n"
    "  --offset O            where to read (default 0)\n"
    "  --size S              how many bytes\n"
    "  --verify-pattern SEED check the bytes against the test pattern (exit 1 if not)\n"
    "  --out F               write the bytes read to file F\n";

constexpr std::array<OptionSpec, 4> specs{{{"offset", true}, {"size", true}, {"verify-pattern", true}, {"out", true}}};

int run(std::span<const std::string_view> raw, CommandIo io)
{
    auto args = read_object_args(raw, specs, true);
    std::string error = args ? "" : args.error();
    uint64_t offset = 0, size = 0;
    std::optional<uint64_t> seed;
    if (args) {
        auto o = uint_option(args->parsed, "offset", 0, 0, UINT64_MAX / 2);
        auto s = uint_option(args->parsed, "size", 0, 1, 1ull << 32);
        auto p = uint_option(args->parsed, "verify-pattern", 0, 0, UINT64_MAX);
        error = !o ? o.error() : !s ? s.error() : !p ? p.error() : !args->parsed.has("size") ? "--size is needed" : "";
        if (error.empty()) {
            offset = *o;
            size = *s;
            if (args->parsed.has("verify-pattern"))
                seed = *p;
        }
    }
    if (!error.empty()) {
        io.err << "ostio read: " << error << "\n" << usage_text << connection_usage << layout_usage;
        return exit_usage;
    }
    auto opened = open_file(*args);
    if (!opened) {
        io.err << "ostio read: " << opened.error() << "\n";
        return exit_failed;
    }
    StripedFile& file = **opened;
    std::vector<std::byte> data(size);
    auto start = std::chrono::steady_clock::now();
    auto got = file.read(offset, data);
    auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    auto locks = file_locks(file);
    file.disconnect();
    if (!got) {
        io.err << "ostio read: " << got.error().detail << "\n";
        return exit_failed;
    }
    data.resize(*got);
    std::optional<uint64_t> checked = seed ? check_pattern(*seed, offset, data) : std::nullopt;
    const bool mismatch = checked.has_value();
    const uint64_t mismatch_at = mismatch ? *checked : 0;
    if (auto out = args->parsed.value("out")) {
        std::ofstream saved{std::string(*out), std::ios::binary};
        saved.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
        if (!saved) {
            io.err << "ostio read: cannot write " << *out << "\n";
            return exit_failed;
        }
    }
    if (args->json) {
        io.out << "{\"object\":" << json_string(object_text(args->object)) << ",\"offset\":" << offset
               << ",\"bytes\":" << data.size() << ",\"seconds\":" << elapsed;
        if (seed)
            io.out << ",\"verified\":" << (mismatch ? "false" : "true");
        if (mismatch)
            io.out << ",\"first_mismatch\":" << mismatch_at;
        io.out << ",\"locks\":" << locks_json(locks) << "}\n";
    } else {
        io.out << "read " << data.size() << " bytes at " << offset << " of object " << object_text(args->object)
               << ", " << elapsed << " s\n";
        if (seed)
            io.out << (mismatch ? "pattern mismatch at offset " + std::to_string(mismatch_at) + "\n"
                                : std::string("pattern verified\n"));
        print_locks(locks, io.out);
    }
    return mismatch ? exit_failed : exit_ok;
}

}  // namespace

Command read_command() { return Command{"read", "read bytes of an object (PR lock), optionally verify a pattern", usage_text, run}; }

}  // namespace ostd::client::ostio
