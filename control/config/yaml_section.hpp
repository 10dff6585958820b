// Strict reading of one YAML mapping: every key read is remembered, so that
// finish() can refuse the keys nobody asked for. Errors name the file, the
// line and the full key path ("ostd.yaml:12: network.udp_port: ...").
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace ostd::control {

struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class YamlSection {
public:
    YamlSection(YAML::Node node, std::string path, std::string file);

    bool has(const std::string& key) const;
    YamlSection section(const std::string& key);  // absent: an empty section
    std::string string(const std::string& key, const std::string& fallback);
    uint64_t uint(const std::string& key, uint64_t fallback, uint64_t min, uint64_t max);
    bool boolean(const std::string& key, bool fallback);
    std::vector<std::string> strings(const std::string& key, const std::vector<std::string>& fallback);
    std::vector<uint64_t> uints(const std::string& key, const std::vector<uint64_t>& fallback, uint64_t max);
    // One of the given words.
    std::string choice(const std::string& key, const std::string& fallback, const std::vector<std::string>& words);

    // Refuses any key that was not read.
    void finish() const;

    [[noreturn]] void fail(const std::string& key, const std::string& why) const;

private:
    YAML::Node child(const std::string& key);
    std::string where(const YAML::Node& node) const;
    std::string key_path(const std::string& key) const { return _path.empty() ? key : _path + "." + key; }

    YAML::Node _node;
    std::string _path;
    std::string _file;
    std::set<std::string> _read;
};

}  // namespace ostd::control
