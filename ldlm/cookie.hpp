// Lock cookie generator: distinct, never 0, not simply sequential (a stale or
// forged cookie is unlikely to name a live lock).
#pragma once

#include <cstdint>

#include "ldlm/ids.hpp"

namespace ostd::ldlm {

class CookieGenerator {
public:
    explicit CookieGenerator(std::uint64_t seed) : _seed(seed) {}

    // mix64 is a bijection and the step is odd, so cookies repeat only
    // after 2^64 draws.
    LockHandle next() {
        for (;;) {
            std::uint64_t c = mix64(_seed + ++_count * 0x9e3779b97f4a7c15ULL);
            if (c != 0) return LockHandle{c};
        }
    }

private:
    std::uint64_t _seed;
    std::uint64_t _count = 0;
};

}  // namespace ostd::ldlm
