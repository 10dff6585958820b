// What a show command answers: a small tree of values (objects keep their
// key order), printed either as JSON (one object per command, for scripts and
// `ostctl --json`) or as aligned text for people. Pure C++: no DPDK.
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace ostd::control::cli {

class Value {
public:
    using Array = std::vector<Value>;
    using Object = std::vector<std::pair<std::string, Value>>;

    Value() : _value(Object{}) {}
    Value(bool b) : _value(b) {}
    template <std::integral T>
        requires(!std::same_as<T, bool>)
    Value(T n)
    {
        if constexpr (std::signed_integral<T>)
            _value = static_cast<int64_t>(n);
        else
            _value = static_cast<uint64_t>(n);
    }
    Value(std::string s) : _value(std::move(s)) {}
    Value(std::string_view s) : _value(std::string(s)) {}
    Value(const char* s) : _value(std::string(s)) {}

    static Value object() { return Value(); }
    static Value array()
    {
        Value v;
        v._value = Array{};
        return v;
    }

    // Object: appends key (keys keep their insertion order).
    Value& set(std::string key, Value value);
    // Array: appends an element; returns it.
    Value& add(Value value);

    bool is_object() const { return std::holds_alternative<Object>(_value); }
    bool is_array() const { return std::holds_alternative<Array>(_value); }
    bool is_scalar() const { return !is_object() && !is_array(); }
    const Object& members() const { return std::get<Object>(_value); }
    const Array& elements() const { return std::get<Array>(_value); }
    // Scalars as text (strings unquoted).
    std::string scalar_text() const;
    // Scalars as JSON (strings quoted and escaped).
    std::string scalar_json() const;

private:
    std::variant<bool, int64_t, uint64_t, std::string, Array, Object> _value;
};

// One line of compact JSON, newline-terminated.
std::string render_json(const Value& value);
// Indented "key: value" lines; arrays of objects become "- " items.
std::string render_text(const Value& value);
std::string json_quote(std::string_view text);

// Refusals counted by reason (lnet::ReasonCounters) as {reason name: count},
// in the reasons' order; name is the enum's name function.
template <typename Counters, typename Name>
Value by_reason(const Counters& counters, Name name)
{
    Value out = Value::object();
    for (size_t i = 0; i < Counters::size; ++i)
        out.set(std::string(name(Counters::reason_of(i))), counters.get(Counters::reason_of(i)));
    return out;
}

}  // namespace ostd::control::cli
