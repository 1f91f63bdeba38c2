#include "p2p/packet.hpp"

#include "p2p/crc32c.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace edgehub::p2p {
namespace {

// Recomputes the CRC32C trailer after a test changed bytes before it.
std::vector<std::uint8_t> with_crc(std::vector<std::uint8_t> b) {
  auto crc = crc32c(b.data(), b.size() - kTrailerSize);
  for (int i = 0; i < 4; ++i)
    b[b.size() - 4 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(crc >> (24 - 8 * i));
  return b;
}

Packet round_trip(const Packet& p) {
  auto bytes = encode(p);
  EXPECT_FALSE(bytes.empty());
  auto r = decode(bytes);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : to_string(r.error()));
  return r.ok() ? r.packet() : Packet{};
}

TEST(Packet, SynRoundTrip) {
  Syn s{0x01020304, TransferMode::stop_and_wait, 1432, 0x1122334455667788ull, 99, "tick\0et", "a b.bin"};
  s.ticket = std::string("tick\0et", 7);  // binary-safe
  auto p = round_trip({0, s});
  const auto& d = std::get<Syn>(p.body);
  EXPECT_EQ(p.dest_conn, 0u);
  EXPECT_EQ(d.src_conn, 0x01020304u);
  EXPECT_EQ(d.mode, TransferMode::stop_and_wait);
  EXPECT_EQ(d.chunk_size, 1432);
  EXPECT_EQ(d.file_size, 0x1122334455667788ull);
  EXPECT_EQ(d.ts, 99u);
  EXPECT_EQ(d.ticket, s.ticket);
  EXPECT_EQ(d.name, "a b.bin");
}

TEST(Packet, AckRoundTripWithSacks) {
  Ack a{10, 4106, 7, 250, {{12, 15}, {20, 21}}};
  auto p = round_trip({42, a});
  const auto& d = std::get<Ack>(p.body);
  EXPECT_EQ(p.dest_conn, 42u);
  EXPECT_EQ(d.cum_ack, 10u);
  EXPECT_EQ(d.window_end, 4106u);
  EXPECT_EQ(d.echo_ts, 7u);
  EXPECT_EQ(d.ack_delay_us, 250u);
  EXPECT_EQ(d.sacks, a.sacks);
}

TEST(Packet, OtherTypesRoundTrip) {
  Fin f{12345, {}, 3};
  f.sha256[0] = 0xAB;
  f.sha256[31] = 0xCD;
  auto fin = std::get<Fin>(round_trip({5, f}).body);
  EXPECT_EQ(fin.file_size, 12345u);
  EXPECT_EQ(fin.sha256, f.sha256);
  EXPECT_EQ(std::get<FinAck>(round_trip({5, FinAck{FinStatus::hash_mismatch, 8}}).body).status,
            FinStatus::hash_mismatch);
  EXPECT_EQ(std::get<Abort>(round_trip({5, Abort{AbortReason::receiver_closed, "bye"}}).body).text, "bye");
  EXPECT_EQ(std::get<Keepalive>(round_trip({5, Keepalive{77}}).body).ts, 77u);
  EXPECT_EQ(std::get<SynAck>(round_trip({5, SynAck{9, 100, 1}}).body).window_end, 100u);
}

TEST(Packet, SealDataMatchesGenericEncoder) {
  std::vector<std::uint8_t> payload = {1, 2, 3, 0, 255};
  auto generic = encode({7, Data{3, 4, payload}});
  std::vector<std::uint8_t> buf(100);
  std::copy(payload.begin(), payload.end(), buf.begin() + kHeaderSize + kDataFields);
  auto n = seal_data(buf, 7, 3, 4, payload.size());
  buf.resize(n);
  EXPECT_EQ(buf, generic);
  auto d = std::get<Data>(decode(buf).packet().body);
  EXPECT_EQ(std::vector<std::uint8_t>(d.payload.begin(), d.payload.end()), payload);
}

TEST(Packet, EveryBitFlipIsRejected) {
  auto bytes = encode({7, Data{3, 4, std::vector<std::uint8_t>(40, 0x11)}});
  for (std::size_t bit = 0; bit < bytes.size() * 8; ++bit) {
    auto copy = bytes;
    copy[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    ASSERT_FALSE(decode(copy).ok()) << bit;
  }
}

TEST(Packet, TruncationsAreRejected) {
  auto bytes = encode({1, Syn{5, TransferMode::windowed, 1000, 10, 0, "t", "n"}});
  for (std::size_t n = 0; n < bytes.size(); ++n) EXPECT_FALSE(decode(std::span(bytes).first(n)).ok()) << n;
}

TEST(Packet, SpecificErrors) {
  auto bytes = encode({1, Keepalive{1}});
  auto bad = bytes;
  bad[0] = 0;
  EXPECT_EQ(decode(bad).error(), DecodeError::bad_magic);
  bad = bytes;
  bad[1] = 2;
  EXPECT_EQ(decode(bad).error(), DecodeError::bad_version);
  bad = bytes;
  bad[5] ^= 1;
  EXPECT_EQ(decode(bad).error(), DecodeError::bad_checksum);
  EXPECT_EQ(decode(std::span(bytes).first(5)).error(), DecodeError::too_short);
}

TEST(Packet, InvalidFieldsAreRejectedByTheDecoderOrEncoder) {
  // SACK block below the cumulative ack, and an empty block.
  EXPECT_FALSE(decode(encode({1, Ack{10, 20, 0, 0, {{5, 6}}}})).ok());
  EXPECT_FALSE(decode(encode({1, Ack{10, 20, 0, 0, {{12, 12}}}})).ok());
  // Chunk size zero.
  EXPECT_FALSE(decode(encode({0, Syn{5, TransferMode::windowed, 0, 10, 0, "t", "n"}})).ok());
  // Too many SACK blocks or an over-long name cannot be encoded.
  Ack many{0, 0, 0, 0, std::vector<SackBlock>(kMaxSackBlocks + 1, SackBlock{1, 2})};
  EXPECT_TRUE(encode({1, many}).empty());
  EXPECT_TRUE(encode({0, Syn{5, TransferMode::windowed, 10, 10, 0, "t", std::string(300, 'x')}}).empty());
}

TEST(Packet, RequestRoundTrip) {
  Request q{0xA1B2C3D4, "0123456789abcdef0123456789abcdef", {}, 40, 8};
  q.root[0] = 0x12;
  q.root[31] = 0xEF;
  auto p = round_trip({0, q});
  const auto& d = std::get<Request>(p.body);
  EXPECT_EQ(p.dest_conn, 0u);
  EXPECT_EQ(d.src_conn, 0xA1B2C3D4u);
  EXPECT_EQ(d.ticket, q.ticket);
  EXPECT_EQ(d.root, q.root);
  EXPECT_EQ(d.first_chunk, 40u);
  EXPECT_EQ(d.count, 8u);
  EXPECT_EQ(encode({0, q})[2], 9);  // type 9 on the wire
}

TEST(Packet, RequestInvalidFields) {
  // Zero chunks can be neither encoded nor decoded; an over-long ticket cannot be encoded.
  EXPECT_TRUE(encode({0, Request{1, "t", {}, 0, 0}}).empty());
  EXPECT_TRUE(encode({0, Request{1, std::string(kMaxTicket + 1, 't'), {}, 0, 1}}).empty());
  auto bytes = encode({0, Request{1, "t", {}, 0, 1}});
  for (std::size_t n = 0; n < bytes.size(); ++n) EXPECT_FALSE(decode(std::span(bytes).first(n)).ok()) << n;
  bytes[bytes.size() - 5] = 0;  // count = 0
  EXPECT_EQ(decode(with_crc(bytes)).error(), DecodeError::bad_body);
}

TEST(Packet, ChunkVerifiedFlagOnlyOnSyn) {
  Syn s{5, TransferMode::windowed, 1432, 10, 0, "t", "swarm:ab:0+1", true};
  auto bytes = encode({0, s});
  EXPECT_EQ(bytes[3], kFlagChunkVerified);
  EXPECT_TRUE(std::get<Syn>(decode(bytes).packet().body).chunk_verified);
  s.chunk_verified = false;
  EXPECT_EQ(encode({0, s})[3], 0);
  // The flag on any other type, or an unknown flag on a SYN, is refused.
  auto patch = [](std::vector<std::uint8_t> b, std::uint8_t flags) {
    b[3] = flags;
    return with_crc(std::move(b));
  };
  EXPECT_EQ(decode(patch(encode({1, Keepalive{1}}), kFlagChunkVerified)).error(), DecodeError::bad_body);
  EXPECT_EQ(decode(patch(encode({0, Request{1, "t", {}, 0, 1}}), kFlagChunkVerified)).error(), DecodeError::bad_body);
  EXPECT_EQ(decode(patch(bytes, 0x02)).error(), DecodeError::bad_body);
  EXPECT_TRUE(decode(patch(bytes, kFlagChunkVerified)).ok());
}

}  // namespace
}  // namespace edgehub::p2p
