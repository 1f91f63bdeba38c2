#pragma once
// Tunables of one transfer (docs/UDP.md). Defaults are what UVF uses.
#include <cstdint>

#include "p2p/clock.hpp"

namespace edgehub::p2p {

struct TransportConfig {
  // DATA payload; sealed, 1452-byte datagrams fit a 1500 MTU over IPv6
  // (docs/UDP.md#14-end-to-end-encryption).
  std::uint16_t chunk_size = 1412;
  // DATA payload to an IPv4 peer, whose header is 20 bytes shorter: sealed,
  // 1472-byte datagrams fill a 1500 MTU. 1.4% fewer datagrams (and their
  // per-datagram CPU) for the same bytes; the payload's share of a frame
  // moves only from 94.5 to 94.6% (docs/UDP.md#1-packet-format). 0: chunk_size.
  std::uint16_t ipv4_chunk_size = 1432;
  std::uint32_t receive_window = 4096;  // receiver's reorder buffer, in packets
  bool stop_and_wait = false;           // window of 1: only for comparison
  Micros handshake_timeout = 10 * kSeconds;
  Micros idle_timeout = 10 * kSeconds;  // nothing heard from the peer for this long: fail
  Micros keepalive_interval = 1 * kSeconds;
  Micros linger = 5 * kSeconds;       // receiver keeps answering FIN after completion
  Micros initial_rto = 1 * kSeconds;  // RFC 6298 (2.1)
  Micros min_rto = 200 * kMillis;     // Linux's floor rather than RFC's 1 s, see docs
  Micros max_rto = 60 * kSeconds;
  Micros delayed_ack = 1 * kMillis;
  // false: datagrams leave the machines without the CRC32C trailer, because
  // the endpoint seals them (the AEAD tag covers every byte). The endpoint
  // sets it; only a plaintext transfer (udp_send --no-aead) keeps the CRC.
  bool crc32c = true;
};

}  // namespace edgehub::p2p
