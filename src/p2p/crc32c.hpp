#pragma once
// CRC32C (Castagnoli), the per-datagram checksum of EHT (docs/UDP.md#1-packet-format).
// Uses the SSE4.2 crc32 instruction when the CPU has it, a slice-by-8 table
// otherwise; both give identical results (tested).
#include <cstddef>
#include <cstdint>

namespace edgehub::p2p {

// CRC32C of data, continuing from a previous result (0 to start).
std::uint32_t crc32c(const void* data, std::size_t len, std::uint32_t previous = 0);

// Portable table version, exposed so tests can compare it with the hardware path.
std::uint32_t crc32c_portable(const void* data, std::size_t len, std::uint32_t previous = 0);

}  // namespace edgehub::p2p
