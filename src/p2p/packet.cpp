#include "p2p/packet.hpp"

#include "p2p/crc32c.hpp"
#include "p2p/wire.hpp"

#include <algorithm>
#include <optional>

namespace edgehub::p2p {
namespace {

// ---- encoding: one function per body type --------------------------------

PacketType type_of(const Body& b) { return static_cast<PacketType>(b.index() + 1); }

void put_body(WireWriter& w, const Syn& s) {
  if (s.ticket.size() > kMaxTicket || s.name.size() > kMaxName) return w.fail();
  w.uint(s.src_conn);
  w.uint(static_cast<std::uint8_t>(s.mode));
  w.uint(s.chunk_size);
  w.uint(s.file_size);
  w.uint(s.ts);
  w.uint(static_cast<std::uint8_t>(s.ticket.size()));
  w.text(s.ticket);
  w.uint(static_cast<std::uint16_t>(s.name.size()));
  w.text(s.name);
}
void put_body(WireWriter& w, const SynAck& s) {
  w.uint(s.src_conn);
  w.uint(s.window_end);
  w.uint(s.echo_ts);
}
void put_body(WireWriter& w, const Data& d) {
  w.uint(d.seq);
  w.uint(d.ts);
  w.bytes(d.payload);
}
void put_body(WireWriter& w, const Ack& a) {
  if (a.sacks.size() > kMaxSackBlocks) return w.fail();
  w.uint(a.cum_ack);
  w.uint(a.window_end);
  w.uint(a.echo_ts);
  w.uint(a.ack_delay_us);
  w.uint(static_cast<std::uint8_t>(a.sacks.size()));
  for (const auto& b : a.sacks) {
    w.uint(b.start);
    w.uint(b.end);
  }
}
void put_body(WireWriter& w, const Fin& f) {
  w.uint(f.file_size);
  w.bytes(f.sha256.data(), f.sha256.size());
  w.uint(f.ts);
}
void put_body(WireWriter& w, const FinAck& f) {
  w.uint(static_cast<std::uint8_t>(f.status));
  w.uint(f.echo_ts);
}
void put_body(WireWriter& w, const Abort& a) {
  if (a.text.size() > kMaxAbortText) return w.fail();
  w.uint(static_cast<std::uint8_t>(a.reason));
  w.uint(static_cast<std::uint8_t>(a.text.size()));
  w.text(a.text);
}
void put_body(WireWriter& w, const Keepalive& k) { w.uint(k.ts); }
void put_body(WireWriter& w, const Request& q) {
  if (q.ticket.size() > kMaxTicket || q.count == 0) return w.fail();
  w.uint(q.src_conn);
  w.uint(static_cast<std::uint8_t>(q.ticket.size()));
  w.text(q.ticket);
  w.bytes(q.root.data(), q.root.size());
  w.uint(q.first_chunk);
  w.uint(q.count);
}

std::uint8_t flags_of(const Body& b) {
  const auto* syn = std::get_if<Syn>(&b);
  return syn != nullptr && syn->chunk_verified ? kFlagChunkVerified : std::uint8_t{0};
}

void put_header(WireWriter& w, PacketType t, std::uint32_t dest, std::uint8_t flags = 0) {
  w.uint(kMagic);
  w.uint(kVersion);
  w.uint(static_cast<std::uint8_t>(t));
  w.uint(flags);
  w.uint(dest);
}

std::size_t put_trailer(std::span<std::uint8_t> out, std::size_t len, bool trailer) {
  if (!trailer) return out.size() < len || len > kMaxDatagram ? 0 : len;
  if (out.size() < len + kTrailerSize || len + kTrailerSize > kMaxDatagram) return 0;
  WireWriter w(out.subspan(len));
  w.uint(crc32c(out.data(), len));
  return len + kTrailerSize;
}

// ---- decoding -------------------------------------------------------------

std::string take_text(WireReader& r, std::size_t n) {
  auto b = r.bytes(n);
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

std::optional<Body> get_syn(WireReader& r) {
  Syn s;
  s.src_conn = r.uint<std::uint32_t>();
  auto mode = r.uint<std::uint8_t>();
  s.chunk_size = r.uint<std::uint16_t>();
  s.file_size = r.uint<std::uint64_t>();
  s.ts = r.uint<std::uint32_t>();
  s.ticket = take_text(r, r.uint<std::uint8_t>());
  auto name_len = r.uint<std::uint16_t>();
  if (mode > 1 || name_len > kMaxName || s.chunk_size == 0 || s.chunk_size > kMaxChunk) return {};
  s.mode = static_cast<TransferMode>(mode);
  s.name = take_text(r, name_len);
  return s;
}
std::optional<Body> get_synack(WireReader& r) {
  SynAck s;
  s.src_conn = r.uint<std::uint32_t>();
  s.window_end = r.uint<std::uint32_t>();
  s.echo_ts = r.uint<std::uint32_t>();
  return s;
}
std::optional<Body> get_data(WireReader& r) {
  Data d;
  d.seq = r.uint<std::uint32_t>();
  d.ts = r.uint<std::uint32_t>();
  d.payload = r.rest();
  return d;
}
std::optional<Body> get_ack(WireReader& r) {
  Ack a;
  a.cum_ack = r.uint<std::uint32_t>();
  a.window_end = r.uint<std::uint32_t>();
  a.echo_ts = r.uint<std::uint32_t>();
  a.ack_delay_us = r.uint<std::uint32_t>();
  auto n = r.uint<std::uint8_t>();
  if (n > kMaxSackBlocks || r.remaining() != n * 8u) return {};
  a.sacks.resize(n);
  for (auto& b : a.sacks) {
    b.start = r.uint<std::uint32_t>();
    b.end = r.uint<std::uint32_t>();
    if (b.end <= b.start || b.start < a.cum_ack) return {};
  }
  return a;
}
std::optional<Body> get_fin(WireReader& r) {
  Fin f;
  f.file_size = r.uint<std::uint64_t>();
  auto h = r.bytes(f.sha256.size());
  if (h.size() == f.sha256.size()) std::copy(h.begin(), h.end(), f.sha256.begin());
  f.ts = r.uint<std::uint32_t>();
  return f;
}
std::optional<Body> get_finack(WireReader& r) {
  FinAck f;
  auto status = r.uint<std::uint8_t>();
  f.echo_ts = r.uint<std::uint32_t>();
  if (status > 3) return {};
  f.status = static_cast<FinStatus>(status);
  return f;
}
std::optional<Body> get_abort(WireReader& r) {
  Abort a;
  auto reason = r.uint<std::uint8_t>();
  if (reason < 1 || reason > 5) return {};
  a.reason = static_cast<AbortReason>(reason);
  a.text = take_text(r, r.uint<std::uint8_t>());
  return a;
}
std::optional<Body> get_keepalive(WireReader& r) { return Keepalive{r.uint<std::uint32_t>()}; }
std::optional<Body> get_request(WireReader& r) {
  Request q;
  q.src_conn = r.uint<std::uint32_t>();
  q.ticket = take_text(r, r.uint<std::uint8_t>());
  auto root = r.bytes(q.root.size());
  if (root.size() == q.root.size()) std::copy(root.begin(), root.end(), q.root.begin());
  q.first_chunk = r.uint<std::uint32_t>();
  q.count = r.uint<std::uint32_t>();
  if (q.count == 0) return {};
  return q;
}

std::optional<Body> get_body(PacketType t, WireReader& r) {
  switch (t) {
    case PacketType::syn:
      return get_syn(r);
    case PacketType::synack:
      return get_synack(r);
    case PacketType::data:
      return get_data(r);
    case PacketType::ack:
      return get_ack(r);
    case PacketType::fin:
      return get_fin(r);
    case PacketType::finack:
      return get_finack(r);
    case PacketType::abort:
      return get_abort(r);
    case PacketType::keepalive:
      return get_keepalive(r);
    case PacketType::request:
      return get_request(r);
  }
  return {};
}

}  // namespace

DecodeResult decode(std::span<const std::uint8_t> dg, bool trailer) {
  const std::size_t trailer_size = trailer ? kTrailerSize : 0;
  if (dg.size() < kHeaderSize + trailer_size) return {DecodeError::too_short};
  if (dg[0] != kMagic) return {DecodeError::bad_magic};
  if (dg[1] != kVersion) return {DecodeError::bad_version};
  auto body_end = dg.size() - trailer_size;
  WireReader crc_reader(dg.subspan(body_end));
  if (trailer && crc_reader.uint<std::uint32_t>() != crc32c(dg.data(), body_end)) return {DecodeError::bad_checksum};
  auto type = dg[2];
  if (type < 1 || type > 9) return {DecodeError::bad_type};
  // Unknown flags, or a flag on another type than SYN: one encoding per packet.
  const auto allowed = static_cast<PacketType>(type) == PacketType::syn ? kFlagChunkVerified : 0;
  if ((dg[3] & ~allowed) != 0) return {DecodeError::bad_body};
  WireReader r(dg.subspan(0, body_end));
  r.bytes(4);
  Packet p;
  p.dest_conn = r.uint<std::uint32_t>();
  auto body = get_body(static_cast<PacketType>(type), r);
  if (!body || !r.at_end()) return {DecodeError::bad_body};
  if (auto* syn = std::get_if<Syn>(&*body)) syn->chunk_verified = (dg[3] & kFlagChunkVerified) != 0;
  p.body = std::move(*body);
  return {std::move(p)};
}

std::size_t encode(const Packet& p, std::span<std::uint8_t> out, bool trailer) {
  WireWriter w(out);
  put_header(w, type_of(p.body), p.dest_conn, flags_of(p.body));
  std::visit([&w](const auto& b) { put_body(w, b); }, p.body);
  if (!w.ok()) return 0;
  return put_trailer(out, w.size(), trailer);
}

std::vector<std::uint8_t> encode(const Packet& p, bool trailer) {
  std::vector<std::uint8_t> out(kMaxDatagram);
  out.resize(encode(p, out, trailer));
  return out;
}

std::size_t seal_data(std::span<std::uint8_t> out, std::uint32_t dest_conn, std::uint32_t seq, std::uint32_t ts,
                      std::size_t payload_len, bool trailer) {
  WireWriter w(out);
  put_header(w, PacketType::data, dest_conn);
  w.uint(seq);
  w.uint(ts);
  if (!w.ok()) return 0;
  return put_trailer(out, w.size() + payload_len, trailer);
}

const char* to_string(DecodeError e) {
  static constexpr const char* names[] = {"too short",    "bad magic", "bad version",
                                          "bad checksum", "bad type",  "bad body"};
  return names[static_cast<int>(e)];
}

const char* to_string(AbortReason r) {
  switch (r) {
    case AbortReason::cancelled:
      return "cancelled by the sender";
    case AbortReason::rejected:
      return "rejected by the receiver";
    case AbortReason::receiver_closed:
      return "receiver closed the transfer";
    case AbortReason::io_error:
      return "I/O error at the peer";
    case AbortReason::protocol_error:
      return "protocol error";
  }
  return "unknown";
}

const char* to_string(FinStatus s) {
  switch (s) {
    case FinStatus::ok:
      return "ok";
    case FinStatus::hash_mismatch:
      return "SHA-256 mismatch at the receiver";
    case FinStatus::size_mismatch:
      return "size mismatch at the receiver";
    case FinStatus::write_error:
      return "write error at the receiver";
  }
  return "unknown";
}

}  // namespace edgehub::p2p
