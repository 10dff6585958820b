#include "client/ostio/locks_command.hpp"

#include <array>
#include <ostream>

#include "client/ostio/json.hpp"
#include "client/ostio/lru_option.hpp"
#include "client/ostio/object_command.hpp"

namespace ostd::client::ostio {

namespace {

constexpr std::string_view usage_text =
    "usage: ostio locks NID OBJECT [--offset O] [--size S] [--mode PR|PW] [options]\n"
    "\n"
    "Takes the extent lock an I/O of [O, O+S-1] would take (default: PR on the\n"
    "whole object), prints the locks this client holds (mode, granted extent,\n"
    "cookies), then cancels them and disconnects.\n";

constexpr std::array<OptionSpec, 4> specs{{{"offset", true}, {"size", true}, {"mode", true}, lru_size_spec}};

int run(std::span<const std::string_view> raw, CommandIo io)
{
    auto args = read_object_args(raw, specs);
    auto offset = args ? uint_option(args->parsed, "offset", 0, 0, UINT64_MAX / 2) : lnet::Result<uint64_t, std::string>(0);
    auto size = args ? uint_option(args->parsed, "size", 0, 1, UINT64_MAX / 2) : lnet::Result<uint64_t, std::string>(0);
    auto lru = args ? apply_lru_size(args->parsed, args.value().config) : lnet::Result<bool, std::string>(true);
    std::string error = !args   ? args.error()
                        : !offset ? offset.error()
                        : !size   ? size.error()
                        : !lru    ? lru.error()
                                  : "";
    uint32_t mode = ptlrpc::lock_mode::pr;
    if (error.empty())
        if (auto text = args->parsed.value("mode")) {
            if (*text == "PW" || *text == "pw")
                mode = ptlrpc::lock_mode::pw;
            else if (*text != "PR" && *text != "pr")
                error = "--mode: PR or PW";
        }
    if (!error.empty()) {
        io.err << "ostio locks: " << error << "\n" << usage_text << connection_usage << lru_size_usage;
        return exit_usage;
    }
    Extent extent{*offset, args->parsed.has("size") ? *offset + *size - 1 : object_eof};
    auto client = connect_client(*args);
    if (!client) {
        io.err << "ostio locks: " << client.error() << "\n";
        return exit_failed;
    }
    OstClient& c = **client;
    uint32_t flags = args->no_expand ? ptlrpc::ldlm_flag::no_expansion : 0;
    auto lock = c.locks().acquire(args->object, mode, extent, flags);
    if (lock)
        c.locks().release(**lock);
    auto locks = c.locks().snapshot();
    c.disconnect();
    if (!lock) {
        io.err << "ostio locks: " << lock.error().detail << "\n";
        return exit_failed;
    }
    if (args->json)
        io.out << "{\"locks\":" << locks_json(locks) << "}\n";
    else
        print_locks(locks, io.out);
    return exit_ok;
}

}  // namespace

Command locks_command() { return Command{"locks", "take an extent lock and show the locks held", usage_text, run}; }

}  // namespace ostd::client::ostio
