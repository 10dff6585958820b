// A value or the reason there is none: the data path's error channel
// (std::expected is C++23; this is the small part of it we need).
#pragma once

#include <cassert>
#include <utility>

namespace ostd::lnet {

template <typename T, typename Error>
class Result {
public:
    Result(T value) : _value(std::move(value)), _ok(true) {}
    Result(Error error) : _error(error), _ok(false) {}

    bool ok() const { return _ok; }
    explicit operator bool() const { return _ok; }
    const T& value() const { assert(_ok); return _value; }
    T& value() { assert(_ok); return _value; }
    const T& operator*() const { return value(); }
    const T* operator->() const { return &value(); }
    Error error() const { assert(!_ok); return _error; }

private:
    T _value{};
    Error _error{};
    bool _ok;
};

// Success, or the reason for failure: for calls that fill an out-parameter
// in place (the data path decodes into the burst's own arrays).
template <typename Error>
class Status {
public:
    Status() = default;
    Status(Error error) : _error(error), _ok(false) {}

    bool ok() const { return _ok; }
    explicit operator bool() const { return _ok; }
    Error error() const { assert(!_ok); return _error; }

private:
    Error _error{};
    bool _ok = true;
};

}  // namespace ostd::lnet
