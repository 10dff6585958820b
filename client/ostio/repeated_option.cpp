#include "client/ostio/repeated_option.hpp"

#include <cstddef>

namespace ostd::client::ostio {

lnet::Result<std::vector<std::string_view>, std::string> take_repeated(std::vector<std::string_view>& raw,
                                                                      std::string_view name)
{
    const std::string flag = "--" + std::string(name);
    const std::string with_value = flag + "=";
    std::vector<std::string_view> values, rest;
    for (size_t i = 0; i < raw.size(); ++i) {
        std::string_view arg = raw[i];
        if (arg == "--") {
            rest.insert(rest.end(), raw.begin() + static_cast<std::ptrdiff_t>(i), raw.end());
            break;
        }
        if (arg == flag) {
            if (i + 1 == raw.size())
                return "option '" + flag + "' needs a value";
            values.push_back(raw[++i]);
        } else if (arg.starts_with(with_value)) {
            values.push_back(arg.substr(with_value.size()));
        } else {
            rest.push_back(arg);
        }
    }
    raw = std::move(rest);
    return values;
}

}  // namespace ostd::client::ostio
