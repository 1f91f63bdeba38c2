#pragma once
// EHT/1 packet codec (docs/UDP.md#1-packet-format). Pure: no sockets, no clocks. decode()
// accepts any bytes and either returns a fully validated packet or an error;
// it never reads out of bounds (fuzzed by tests/fuzz/udp_packet_fuzz.cpp).
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace edgehub::p2p {

inline constexpr std::uint8_t kMagic = 0xEB;
inline constexpr std::uint8_t kVersion = 1;
inline constexpr std::size_t kHeaderSize = 8;   // magic, version, type, flags, dest id
inline constexpr std::size_t kTrailerSize = 4;  // CRC32C
inline constexpr std::size_t kDataFields = 8;   // seq, ts
inline constexpr std::size_t kDataOverhead = kHeaderSize + kDataFields + kTrailerSize;
inline constexpr std::size_t kMaxDatagram = 65507;
inline constexpr std::size_t kMaxChunk = 65000;
inline constexpr std::size_t kMaxSackBlocks = 16;
inline constexpr std::size_t kMaxTicket = 255;
inline constexpr std::size_t kMaxName = 255;
inline constexpr std::size_t kMaxAbortText = 255;

enum class PacketType : std::uint8_t { syn = 1, synack, data, ack, fin, finack, abort, keepalive, request };

// Header flag bits. Only a SYN may carry one: kFlagChunkVerified says that the
// receiver verifies every chunk itself (a swarm transfer), so neither side
// computes the whole-stream SHA-256 and the FIN's digest is all zeros
// (docs/UDP.md#13-swarm-requests).
inline constexpr std::uint8_t kFlagChunkVerified = 0x01;

enum class TransferMode : std::uint8_t { windowed = 0, stop_and_wait = 1 };

enum class FinStatus : std::uint8_t { ok = 0, hash_mismatch = 1, size_mismatch = 2, write_error = 3 };

enum class AbortReason : std::uint8_t {
  cancelled = 1,
  rejected = 2,
  receiver_closed = 3,
  io_error = 4,
  protocol_error = 5
};

struct Syn {
  std::uint32_t src_conn = 0;
  TransferMode mode = TransferMode::windowed;
  std::uint16_t chunk_size = 0;
  std::uint64_t file_size = 0;
  std::uint32_t ts = 0;
  std::string ticket;
  std::string name;
  bool chunk_verified = false;  // header flag kFlagChunkVerified
};
struct SynAck {
  std::uint32_t src_conn = 0;
  std::uint32_t window_end = 0;
  std::uint32_t echo_ts = 0;
};
struct Data {
  std::uint32_t seq = 0;
  std::uint32_t ts = 0;
  std::span<const std::uint8_t> payload;  // points into the decoded datagram
};
struct SackBlock {
  std::uint32_t start = 0;  // first seq received
  std::uint32_t end = 0;    // one past the last
  bool operator==(const SackBlock&) const = default;
};
struct Ack {
  std::uint32_t cum_ack = 0;  // next seq not yet received
  std::uint32_t window_end = 0;
  std::uint32_t echo_ts = 0;
  std::uint32_t ack_delay_us = 0;
  std::vector<SackBlock> sacks;
};
struct Fin {
  std::uint64_t file_size = 0;
  std::array<std::uint8_t, 32> sha256{};
  std::uint32_t ts = 0;
};
struct FinAck {
  FinStatus status = FinStatus::ok;
  std::uint32_t echo_ts = 0;
};
struct Abort {
  AbortReason reason = AbortReason::cancelled;
  std::string text;
};
struct Keepalive {
  std::uint32_t ts = 0;
};
// A downloader asks a seeder for chunks [first_chunk, first_chunk + count) of
// the swarm file `root`; sent with dest conn id 0. src_conn names the request
// (a refusal's ABORT is addressed to it), docs/UDP.md#13-swarm-requests.
struct Request {
  std::uint32_t src_conn = 0;
  std::string ticket;
  std::array<std::uint8_t, 32> root{};
  std::uint32_t first_chunk = 0;
  std::uint32_t count = 0;
};

using Body = std::variant<Syn, SynAck, Data, Ack, Fin, FinAck, Abort, Keepalive, Request>;

struct Packet {
  std::uint32_t dest_conn = 0;
  Body body;
};

enum class DecodeError { too_short, bad_magic, bad_version, bad_checksum, bad_type, bad_body };

struct DecodeResult {
  std::variant<Packet, DecodeError> value;
  bool ok() const { return value.index() == 0; }
  const Packet& packet() const { return std::get<Packet>(value); }
  DecodeError error() const { return std::get<DecodeError>(value); }
};

// trailer = false: the datagram has no CRC32C (an opened sealed datagram,
// docs/UDP.md#14-end-to-end-encryption, whose tag already covered it).
DecodeResult decode(std::span<const std::uint8_t> datagram, bool trailer = true);

// Encodes into out; returns the datagram size, or 0 if out is too small or a
// field is out of range (ticket/name/text too long, too many SACK blocks).
// trailer = false leaves out the CRC32C (the datagram is sealed next).
std::size_t encode(const Packet& p, std::span<std::uint8_t> out, bool trailer = true);
std::vector<std::uint8_t> encode(const Packet& p, bool trailer = true);

// Hot path for DATA without copying the payload: the caller has already put
// payload_len bytes at out[kHeaderSize + kDataFields]; this writes the header
// and checksum around them and returns the datagram size.
std::size_t seal_data(std::span<std::uint8_t> out, std::uint32_t dest_conn, std::uint32_t seq, std::uint32_t ts,
                      std::size_t payload_len, bool trailer = true);

const char* to_string(DecodeError e);
const char* to_string(AbortReason r);
const char* to_string(FinStatus s);

}  // namespace edgehub::p2p
