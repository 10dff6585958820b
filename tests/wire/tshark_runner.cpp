#include "tests/wire/tshark_runner.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace ostd::wire_test {
namespace {

std::string shell_quote(const std::string& text)
{
    std::string quoted = "'";
    for (char c : text)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

std::vector<std::string> split(const std::string& line, char separator)
{
    std::vector<std::string> parts;
    std::string part;
    std::istringstream in(line);
    while (std::getline(in, part, separator))
        parts.push_back(part);
    if (!line.empty() && line.back() == separator)
        parts.emplace_back();
    return parts;
}

std::string command_line(const std::string& tshark, const std::string& lua_script,
                         const std::string& capture, const std::vector<std::string>& fields,
                         const std::string& stderr_path)
{
    // -n: no name resolution, so addresses stay numeric. Checksum validation is
    // on so the capture itself is proven well formed. Lua scripts given with -X
    // run as root only if init.lua sets run_user_scripts_when_superuser (Debian's does).
    // An empty personal configuration directory keeps the user's preferences
    // (disabled protocols, decode-as rules) out of the oracle.
    std::string config_dir = capture.substr(0, capture.find_last_of('/') + 1);
    std::string command = "WIRESHARK_CONFIG_DIR=" + shell_quote(config_dir) + " " +
                          shell_quote(tshark) + " -n -X lua_script:" + shell_quote(lua_script) +
                          " -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE" +
                          " -r " + shell_quote(capture) +
                          " -T fields -E separator=/t -E occurrence=a -E aggregator=,";
    for (const auto& field : fields)
        command += " -e " + shell_quote(field);
    return command + " 2>" + shell_quote(stderr_path);
}

}  // namespace

std::optional<std::string> find_tshark()
{
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/usr/local/bin";
    for (const auto& dir : split(dirs, ':')) {
        std::string candidate = (dir.empty() ? "." : dir) + "/tshark";
        if (::access(candidate.c_str(), X_OK) == 0)
            return candidate;
    }
    return std::nullopt;
}

TsharkResult run_tshark(const std::string& tshark, const std::string& lua_script,
                        const std::string& capture, const std::vector<std::string>& fields)
{
    TsharkResult result;
    std::string stderr_path = capture + ".stderr";
    FILE* pipe = ::popen(command_line(tshark, lua_script, capture, fields, stderr_path).c_str(), "r");
    if (!pipe)
        return result;
    std::string output;
    char buffer[4096];
    while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe))
        output.append(buffer, n);
    int status = ::pclose(pipe);
    result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;

    std::ifstream err(stderr_path);
    result.stderr_text.assign(std::istreambuf_iterator<char>(err), {});
    std::remove(stderr_path.c_str());

    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
        auto values = split(line, '\t');
        DecodedPacket packet;
        for (size_t i = 0; i < fields.size(); ++i)
            packet[fields[i]] = i < values.size() ? values[i] : std::string();
        result.packets.push_back(std::move(packet));
    }
    return result;
}

}  // namespace ostd::wire_test
