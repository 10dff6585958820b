#include "control/cli/ostctl_args.hpp"

namespace ostd::control::cli {

std::optional<std::string> parse_ostctl_args(const std::vector<std::string>& args, OstctlOptions& options)
{
    size_t i = 0;
    for (; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--") {
            ++i;
            break;
        }
        if (arg == "--json" || arg == "-j") {
            options.json = true;
        } else if (arg == "--socket" || arg == "-s") {
            if (i + 1 >= args.size())
                return "--socket needs a path";
            options.socket_path = args[++i];
        } else if (arg.rfind("--socket=", 0) == 0) {
            options.socket_path = arg.substr(9);
        } else if (arg == "-h" || arg == "--help") {
            options.help = true;
            return std::nullopt;
        } else if (!arg.empty() && arg[0] == '-') {
            return "unknown option '" + arg + "'";
        } else {
            break;
        }
    }
    options.words.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
    for (const std::string& word : options.words)
        if (word.find_first_of("\n\r") != std::string::npos)
            return std::string("a command word cannot contain a line break");
    if (options.words.empty())
        return std::string("no command given (try: ostctl help)");
    return std::nullopt;
}

std::string ostctl_request(const OstctlOptions& options)
{
    std::string request = options.json ? "set output json\n" : "";
    for (size_t i = 0; i < options.words.size(); ++i)
        request += (i ? " " : "") + options.words[i];
    return request + "\n";
}

std::optional<std::string> answer_error(std::string_view answer)
{
    constexpr std::string_view text_prefix = "error: ";
    constexpr std::string_view json_prefix = "{\"error\": \"";
    size_t start = 0;
    while (start < answer.size()) {
        size_t end = answer.find('\n', start);
        std::string_view line = answer.substr(start, end == std::string_view::npos ? end : end - start);
        if (line.substr(0, text_prefix.size()) == text_prefix)
            return std::string(line.substr(text_prefix.size()));
        if (line.substr(0, json_prefix.size()) == json_prefix && line.size() >= json_prefix.size() + 2 &&
            line.substr(line.size() - 2) == "\"}")
            return std::string(line.substr(json_prefix.size(), line.size() - json_prefix.size() - 2));
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
    return std::nullopt;
}

}  // namespace ostd::control::cli
