// ostctl's pure parts: its arguments, the request it sends, and how it tells
// an error answer from a normal one. No sockets here, so they are unit-tested.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ostd::control::cli {

struct OstctlOptions {
    std::string socket_path;  // empty: the default configuration's
    bool json = false;
    bool help = false;
    std::vector<std::string> words;  // the command
};

// Options come before the command words; "--" ends them.
// Returns the error message on a bad argument.
std::optional<std::string> parse_ostctl_args(const std::vector<std::string>& args, OstctlOptions& options);

// What is written to the socket: the format line, then the command line.
std::string ostctl_request(const OstctlOptions& options);

// The error ostd answered ("unknown command 'show foo'"), if any: a text
// line "error: ..." or a JSON object {"error": "..."}.
std::optional<std::string> answer_error(std::string_view answer);

}  // namespace ostd::control::cli
