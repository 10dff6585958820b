// Running an ostio command in-process, through its dispatcher, for tests.
#pragma once

#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "client/ostio/commands.hpp"

namespace ostd::client::testing {

struct Invocation {
    int code;
    std::string out;
    std::string err;
};

inline Invocation run_ostio(std::vector<std::string> args)
{
    std::vector<std::string_view> views(args.begin(), args.end());
    std::ostringstream out, err;
    int code = ostio::dispatch(views, {out, err});
    return {code, out.str(), err.str()};
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace ostd::client::testing
