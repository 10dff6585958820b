// Runs tshark (with the LNet-over-UDP Lua shim) over a capture and returns the
// requested fields of every packet, so tests compare decoded values to encoded ones.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ostd::wire_test {

// One decoded packet: field name -> tshark's text; a field that occurs more
// than once holds its occurrences joined by ',' in tree order. Absent fields
// are empty strings.
using DecodedPacket = std::map<std::string, std::string>;

struct TsharkResult {
    int exit_status = -1;
    std::string stderr_text;
    std::vector<DecodedPacket> packets;
};

// The tshark binary on PATH (/usr/bin and /usr/local/bin if PATH is unset), if any.
std::optional<std::string> find_tshark();

TsharkResult run_tshark(const std::string& tshark, const std::string& lua_script,
                        const std::string& capture, const std::vector<std::string>& fields);

}  // namespace ostd::wire_test
