// A string as a JSON string literal: quoted, with quotes, backslashes and
// control characters escaped. Shared by ostd's CLI (control/) and the client
// tools (client/), whose one common dependency is lnet_core.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace ostd::lnet {

inline std::string json_string(std::string_view text)
{
    std::string out = "\"";
    for (char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
                out += escaped;
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

}  // namespace ostd::lnet
