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

}  // namespace ostd::lnet
