#pragma once
// Test helpers for swarm files: a temporary directory, random content and
// its manifest with a chosen chunk size.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "p2p/swarm/manifest.hpp"

namespace edgehub::p2p::swarm::testing {

class TempDir {
 public:
  TempDir()
      : path_(std::filesystem::temp_directory_path() /
              ("edgehub-swarm-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}()))) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::vector<std::uint8_t> random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(rng());
  return v;
}

inline Manifest manifest_of(const std::vector<std::uint8_t>& bytes, std::uint32_t chunk_size = kMinChunkSize) {
  Manifest m;
  m.size = bytes.size();
  m.chunk_size = chunk_size;
  for (std::uint64_t off = 0; off < bytes.size(); off += chunk_size) {
    Sha256 h;
    h.update(bytes.data() + off, std::min<std::uint64_t>(chunk_size, bytes.size() - off));
    m.chunks.push_back(h.finish());
  }
  m.root = root_of(m.size, m.chunk_size, m.chunks);
  return m;
}

inline void write_file(const std::filesystem::path& p, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

inline std::vector<std::uint8_t> read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The bytes of chunks [first, first + count).
inline std::vector<std::uint8_t> chunk_bytes(const std::vector<std::uint8_t>& file, const Manifest& m,
                                             std::uint32_t first, std::uint32_t count) {
  auto begin = m.chunk_offset(first);
  auto end = std::min<std::uint64_t>(m.chunk_offset(first + count), m.size);
  return {file.begin() + static_cast<std::ptrdiff_t>(begin), file.begin() + static_cast<std::ptrdiff_t>(end)};
}

}  // namespace edgehub::p2p::swarm::testing
