#include "control/config/yaml_section.hpp"

#include <charconv>

namespace ostd::control {
namespace {

// yaml-cpp's default Node is defined (type Null): "absent" needs both tests.
bool present(const YAML::Node& node) { return node.IsDefined() && !node.IsNull(); }

}  // namespace

YamlSection::YamlSection(YAML::Node node, std::string path, std::string file)
    : _node(node), _path(std::move(path)), _file(std::move(file))
{
    if (present(_node) && !_node.IsMap())
        throw ConfigError(where(_node) + _path + ": expected a mapping");
}

std::string YamlSection::where(const YAML::Node& node) const
{
    YAML::Mark mark = present(node) ? node.Mark() : _node.Mark();
    if (mark.is_null())
        return _file + ": ";
    return _file + ":" + std::to_string(mark.line + 1) + ": ";
}

void YamlSection::fail(const std::string& key, const std::string& why) const
{
    YAML::Node at = present(_node) && _node.IsMap() ? _node[key] : YAML::Node();
    throw ConfigError(where(at) + key_path(key) + ": " + why);
}

bool YamlSection::has(const std::string& key) const
{
    return present(_node) && _node.IsMap() && _node[key].IsDefined();
}

YAML::Node YamlSection::child(const std::string& key)
{
    _read.insert(key);
    if (!has(key))
        return YAML::Node();
    return _node[key];
}

YamlSection YamlSection::section(const std::string& key)
{
    return YamlSection(child(key), key_path(key), _file);
}

std::string YamlSection::string(const std::string& key, const std::string& fallback)
{
    YAML::Node value = child(key);
    if (!present(value))
        return fallback;
    if (!value.IsScalar())
        fail(key, "expected a string");
    return value.Scalar();
}

uint64_t YamlSection::uint(const std::string& key, uint64_t fallback, uint64_t min, uint64_t max)
{
    YAML::Node value = child(key);
    if (!present(value))
        return fallback;
    const std::string text = value.IsScalar() ? value.Scalar() : "";
    uint64_t number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
        fail(key, "expected an integer, got '" + text + "'");
    if (number < min || number > max)
        fail(key, text + " is out of range " + std::to_string(min) + ".." + std::to_string(max));
    return number;
}

bool YamlSection::boolean(const std::string& key, bool fallback)
{
    YAML::Node value = child(key);
    if (!present(value))
        return fallback;
    const std::string text = value.IsScalar() ? value.Scalar() : "";
    if (text == "true" || text == "on" || text == "yes")
        return true;
    if (text == "false" || text == "off" || text == "no")
        return false;
    fail(key, "expected true or false, got '" + text + "'");
}

std::vector<std::string> YamlSection::strings(const std::string& key, const std::vector<std::string>& fallback)
{
    YAML::Node value = child(key);
    if (!present(value))
        return fallback;
    if (!value.IsSequence())
        fail(key, "expected a list");
    std::vector<std::string> out;
    for (const YAML::Node& item : value) {
        if (!item.IsScalar())
            fail(key, "expected a list of strings");
        out.push_back(item.Scalar());
    }
    return out;
}

std::vector<uint64_t> YamlSection::uints(const std::string& key, const std::vector<uint64_t>& fallback, uint64_t max)
{
    YAML::Node value = child(key);
    if (!present(value))
        return fallback;
    if (!value.IsSequence())
        fail(key, "expected a list of integers");
    std::vector<uint64_t> out;
    for (const YAML::Node& item : value) {
        const std::string text = item.IsScalar() ? item.Scalar() : "";
        uint64_t number = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || number > max)
            fail(key, "expected integers 0.." + std::to_string(max) + ", got '" + text + "'");
        out.push_back(number);
    }
    return out;
}

std::string YamlSection::choice(const std::string& key, const std::string& fallback,
                                const std::vector<std::string>& words)
{
    std::string value = string(key, fallback);
    for (const std::string& word : words)
        if (value == word)
            return value;
    std::string list;
    for (const std::string& word : words)
        list += (list.empty() ? "" : " | ") + word;
    fail(key, "expected " + list + ", got '" + value + "'");
}

void YamlSection::finish() const
{
    if (!present(_node) || !_node.IsMap())
        return;
    for (const auto& entry : _node) {
        std::string key = entry.first.Scalar();
        if (!_read.count(key))
            throw ConfigError(where(entry.first) + key_path(key) + ": unknown key");
    }
}

}  // namespace ostd::control
