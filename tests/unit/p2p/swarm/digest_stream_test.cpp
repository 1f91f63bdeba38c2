// A manifest's digests arriving as blocks (docs/SWARM.md#share).
#include "p2p/swarm/digest_stream.hpp"

#include <gtest/gtest.h>

namespace edgehub::p2p::swarm {
namespace {

Manifest sample(std::uint64_t size) {
  Manifest m;
  m.size = size;
  m.chunk_size = kMinChunkSize;
  for (std::uint64_t i = 0; i < chunk_count_for(size, m.chunk_size); ++i) {
    Sha256Digest d{};
    d[5] = static_cast<unsigned char>(i + 1);
    m.chunks.push_back(d);
  }
  m.root = root_of(m.size, m.chunk_size, m.chunks);
  return m;
}

std::string bytes_of(const Manifest& m) {
  return std::string(reinterpret_cast<const char*>(m.chunks.data()), m.chunks.size() * 32);
}

TEST(DigestStream, RebuildsTheManifestFromBlocksSplitAnyhow) {
  const Manifest m = sample(3 * kMinChunkSize + 10);
  DigestStream stream(m.size, m.chunk_size, m.root);
  const std::string bytes = bytes_of(m);
  EXPECT_EQ(stream.expected_bytes(), 128u);
  stream.add(bytes.substr(0, 1));
  stream.add(bytes.substr(1, 50));
  stream.add(bytes.substr(51));
  auto result = stream.finish();
  ASSERT_TRUE(std::holds_alternative<Manifest>(result)) << std::get<std::string>(result);
  EXPECT_EQ(std::get<Manifest>(result).chunks, m.chunks);
  EXPECT_EQ(std::get<Manifest>(result).root, m.root);
}

TEST(DigestStream, RefusesAWrongCountOrRoot) {
  const Manifest m = sample(2 * kMinChunkSize);
  DigestStream shorter(m.size, m.chunk_size, m.root);
  shorter.add(bytes_of(m).substr(0, 63));
  EXPECT_EQ(std::get<std::string>(shorter.finish()),
            "expected 64 bytes of chunk hashes (2 chunks of 16384 bytes in 32768 bytes), got 63");
  DigestStream longer(m.size, m.chunk_size, m.root);
  longer.add(bytes_of(m) + std::string(1 << 20, 'x'));
  EXPECT_EQ(longer.received_bytes(), 64u + (1 << 20));
  EXPECT_TRUE(std::holds_alternative<std::string>(longer.finish()));
  Sha256Digest other = m.root;
  other[0] ^= 1;
  DigestStream wrong(m.size, m.chunk_size, other);
  wrong.add(bytes_of(m));
  EXPECT_EQ(std::get<std::string>(wrong.finish()), "the root hash does not match the chunk hashes");
}

TEST(DigestStream, GeometryProblems) {
  EXPECT_EQ(geometry_problem(0, kMinChunkSize), "the file is empty");
  EXPECT_FALSE(geometry_problem(10, 1000).empty());
  EXPECT_FALSE(geometry_problem(10, kMaxChunkSize * 2).empty());
  EXPECT_FALSE(geometry_problem(10, kMinChunkSize * 3).empty());
  EXPECT_TRUE(geometry_problem(10, kMinChunkSize).empty());
}

}  // namespace
}  // namespace edgehub::p2p::swarm
