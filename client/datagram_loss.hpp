// Test-only datagram loss for the client transport (issue #7, "Faults"):
// decides, per datagram, whether to drop it, with a given probability in
// each direction. The decisions come from a seeded generator per direction
// (splitmix64), so a run with the same seed and the same traffic drops the
// same datagrams, and losing more sends does not shift the receive side's
// draws. Never on by default: rates of 0 draw nothing.
#pragma once

#include <cstdint>

namespace ostd::client {

struct LossConfig {
    double tx_rate = 0;  // fraction of sent datagrams dropped, [0, 1]
    double rx_rate = 0;  // fraction of received datagrams dropped, [0, 1]
    uint64_t seed = 1;
    bool any() const { return tx_rate > 0 || rx_rate > 0; }
};

// One direction's draws.
class LossDraw {
public:
    LossDraw(double rate, uint64_t seed) : _rate(rate), _state(seed) {}

    // True: drop this datagram.
    bool drop()
    {
        if (_rate <= 0)
            return false;
        // The top 53 bits as a double in [0, 1).
        return static_cast<double>(next() >> 11) * 0x1.0p-53 < _rate;
    }
    double rate() const { return _rate; }

private:
    uint64_t next()
    {
        uint64_t z = (_state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }

    double _rate;
    uint64_t _state;
};

// Both directions, seeded apart so they are independent.
struct DatagramLoss {
    explicit DatagramLoss(const LossConfig& config = {})
        : tx(config.tx_rate, config.seed ^ 0x7478000000000000ull),  // "tx"
          rx(config.rx_rate, config.seed ^ 0x7278000000000000ull)   // "rx"
    {
    }
    LossDraw tx;
    LossDraw rx;
};

}  // namespace ostd::client
