#pragma once
// Time as the pure state machines see it: microseconds on a monotonic clock
// chosen by the caller (steady_clock in the driver, a plain counter in tests).
#include <cstdint>

namespace edgehub::p2p {

using Micros = std::uint64_t;
inline constexpr Micros kMillis = 1000;
inline constexpr Micros kSeconds = 1000 * kMillis;
inline constexpr Micros kNever = ~Micros{0};

// Wire timestamps are the low 32 bits of the sender's clock
// (docs/UDP.md#1-packet-format).
inline std::uint32_t wire_ts(Micros t) { return static_cast<std::uint32_t>(t); }

// Elapsed time since a wire timestamp we sent, robust to the 32-bit wrap.
inline Micros since_wire_ts(Micros now, std::uint32_t ts) { return static_cast<std::uint32_t>(wire_ts(now) - ts); }

}  // namespace edgehub::p2p
