// One object the soak's clients share, with the model of what it holds: the
// bytes of every acknowledged write, applied in the order the writes happened.
//
// The clients take turns on an object (its mutex) for writes, reads and stats,
// so that order is well defined, and the LDLM locks carry it to ostd: a write
// overlapping another client's is granted only after that client's dirty data
// was flushed and its lock cancelled. A client waiting for its turn keeps
// serving ASTs, since it may hold a lock the client whose turn it is needs.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "client/ost_client.hpp"

namespace ostd::perf::soak {

struct SharedObject {
    SharedObject(client::ObjectId object, uint64_t span) : id(object), bytes(span) {}

    client::ObjectId id;
    std::mutex turn;
    std::vector<std::byte> bytes;  // the model: zeros where nothing was written
    uint64_t size = 0;             // the end of the furthest write

    // The model's bytes of a read of `length` at `offset`: short at the size.
    std::span<const std::byte> expected(uint64_t offset, uint64_t length) const
    {
        if (offset >= size)
            return {};
        return std::span(bytes).subspan(offset, std::min(length, size - offset));
    }
    // "" when `got`, read at `offset` asking for `length`, is what the model
    // holds; else where and how it differs.
    std::string compare(uint64_t offset, std::span<const std::byte> got, uint64_t length) const
    {
        auto want = expected(offset, length);
        auto where = std::mismatch(got.begin(), got.end(), want.begin(), want.end());
        if (got.size() == want.size() && where.first == got.end())
            return {};
        return "object " + std::to_string(id.id) + ": read of " + std::to_string(length) + " at " +
               std::to_string(offset) + " got " + std::to_string(got.size()) + " bytes, " +
               std::to_string(want.size()) + " acknowledged; first difference at " +
               std::to_string(offset + static_cast<uint64_t>(where.first - got.begin()));
    }
    void apply_write(uint64_t offset, std::span<const std::byte> data)
    {
        std::copy(data.begin(), data.end(), bytes.begin() + static_cast<std::ptrdiff_t>(offset));
        size = std::max(size, offset + data.size());
    }
};

// The object's turn for `client`, serving its ASTs while it waits.
inline std::unique_lock<std::mutex> take_turn(SharedObject& object, client::OstClient& client)
{
    std::unique_lock turn(object.turn, std::try_to_lock);
    while (!turn.owns_lock()) {
        (void)client.progress(std::chrono::milliseconds(1));  // a failure here shows in the next operation
        turn.try_lock();
    }
    return turn;
}

}  // namespace ostd::perf::soak
