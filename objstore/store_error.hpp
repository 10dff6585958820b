// Why a storage operation failed, with enough context to say so in a log line:
// the errno, the operation, the object and the offset. Cheap to build and copy
// (no allocation): the text is formatted only when someone asks for it.
#pragma once

#include <cstdint>
#include <string>

#include "lnet_core/result.hpp"

namespace ostd::objstore {

struct StoreError {
    int code = 0;                 // positive errno (ENOENT, ENOSPC, EIO, ...)
    const char* op = "";          // "write", "read", "punch", ... (static text)
    uint64_t object = 0;
    uint64_t offset = 0;

    // e.g. "write object 0x1a at offset 4096: No space left on device"
    std::string message() const;
};

template <typename T>
using StoreResult = lnet::Result<T, StoreError>;

// The value of operations that return nothing but may fail.
struct Done {};

inline StoreError store_error(int code, const char* op, uint64_t object, uint64_t offset = 0)
{
    return StoreError{code, op, object, offset};
}

}  // namespace ostd::objstore
