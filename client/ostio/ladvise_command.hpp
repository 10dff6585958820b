// `ostio ladvise NID OBJECT`: see the usage text in ladvise_command.cpp. The
// pieces `ostio run`'s ladvise line shares with it are here too.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "client/ladvise.hpp"
#include "client/ostio/command.hpp"

namespace ostd::client::ostio {

Command ladvise_command();

// "S:E" (decimal, end inclusive); the error is a sentence.
lnet::Result<LadviseExtent, std::string> parse_extent(std::string_view text);
// "read" | "write" | a number (passed through, so a bad mode reaches the API's check).
std::optional<LadviseMode> parse_ladvise_mode(std::string_view text);
// [{"start":S,"end":E,"result":"sent","value":0}, ...]
std::string lockahead_results_json(const std::vector<LadviseExtent>& extents,
                                   const std::vector<LockaheadResult>& results);
// "EINVAL", "EFBIG", ... or the number.
std::string errno_name(int negative_errno);

}  // namespace ostd::client::ostio
