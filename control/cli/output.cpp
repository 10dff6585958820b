#include "control/cli/output.hpp"

#include "lnet_core/json_string.hpp"

#include <algorithm>
#include <cstdio>

namespace ostd::control::cli {

Value& Value::set(std::string key, Value value)
{
    auto& object = std::get<Object>(_value);
    object.emplace_back(std::move(key), std::move(value));
    return *this;
}

Value& Value::add(Value value)
{
    auto& array = std::get<Array>(_value);
    array.push_back(std::move(value));
    return array.back();
}

std::string Value::scalar_text() const
{
    if (auto* b = std::get_if<bool>(&_value))
        return *b ? "true" : "false";
    if (auto* i = std::get_if<int64_t>(&_value))
        return std::to_string(*i);
    if (auto* u = std::get_if<uint64_t>(&_value))
        return std::to_string(*u);
    if (auto* s = std::get_if<std::string>(&_value))
        return *s;
    return {};
}

std::string Value::scalar_json() const
{
    if (auto* s = std::get_if<std::string>(&_value))
        return json_quote(*s);
    return scalar_text();
}

std::string json_quote(std::string_view text)
{
    return lnet::json_string(text);
}

namespace {

void append_json(std::string& out, const Value& value)
{
    if (value.is_object()) {
        out += '{';
        bool first = true;
        for (const auto& [key, member] : value.members()) {
            out += first ? "" : ", ";
            first = false;
            out += json_quote(key) + ": ";
            append_json(out, member);
        }
        out += '}';
    } else if (value.is_array()) {
        out += '[';
        bool first = true;
        for (const Value& element : value.elements()) {
            out += first ? "" : ", ";
            first = false;
            append_json(out, element);
        }
        out += ']';
    } else {
        out += value.scalar_json();
    }
}

void append_text(std::string& out, const Value& object, size_t indent, std::string_view first_prefix);

// An array: scalars on one line, objects as "- " items.
void append_array(std::string& out, const std::string& key, const Value& array, size_t indent)
{
    const std::string pad(indent, ' ');
    const auto& elements = array.elements();
    if (elements.empty()) {
        out += pad + key + ": (none)\n";
        return;
    }
    if (std::all_of(elements.begin(), elements.end(), [](const Value& v) { return v.is_scalar(); })) {
        out += pad + key + ": ";
        for (size_t i = 0; i < elements.size(); ++i)
            out += (i ? ", " : "") + elements[i].scalar_text();
        out += '\n';
        return;
    }
    out += pad + key + ":\n";
    for (const Value& element : elements) {
        if (element.is_object())
            append_text(out, element, indent + 2, "- ");
        else
            out += pad + "  - " + element.scalar_text() + "\n";
    }
}

// first_prefix replaces the indentation's last two spaces on the first line ("- ").
void append_text(std::string& out, const Value& object, size_t indent, std::string_view first_prefix)
{
    size_t width = 0;
    for (const auto& [key, member] : object.members())
        if (member.is_scalar())
            width = std::max(width, key.size());
    bool first = true;
    for (const auto& [key, member] : object.members()) {
        std::string pad(indent, ' ');
        if (first && !first_prefix.empty() && indent >= first_prefix.size())
            pad.replace(indent - first_prefix.size(), first_prefix.size(), first_prefix);
        first = false;
        if (member.is_scalar()) {
            out += pad + key + ": " + std::string(width - key.size(), ' ') + member.scalar_text() + "\n";
        } else if (member.is_array()) {
            std::string item;
            append_array(item, key, member, indent);
            if (pad != std::string(indent, ' '))
                item.replace(0, indent, pad);
            out += item;
        } else {
            out += pad + key + ":\n";
            append_text(out, member, indent + 2, {});
        }
    }
}

}  // namespace

std::string render_json(const Value& value)
{
    std::string out;
    append_json(out, value);
    return out + "\n";
}

std::string render_text(const Value& value)
{
    std::string out;
    if (value.is_object())
        append_text(out, value, 0, {});
    else if (value.is_array())
        append_array(out, "items", value, 0);
    else
        out = value.scalar_text() + "\n";
    return out;
}

}  // namespace ostd::control::cli
