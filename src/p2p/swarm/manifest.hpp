#pragma once
// A swarm file's manifest (docs/SWARM.md#1-chunks-and-manifest): its size, its chunk
// size, each chunk's SHA-256, and the root hash over them that is the file's
// identity. Pure data and pure functions, shared by the tracker (hub), the
// seeder and the downloader (client).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "common/sha256.hpp"

namespace edgehub::p2p::swarm {

inline constexpr std::uint32_t kMinChunkSize = 16 * 1024;
inline constexpr std::uint32_t kMaxChunkSize = 16 * 1024 * 1024;
// Chunk sizes are chosen so that a file has about this many chunks.
inline constexpr std::uint64_t kTargetChunks = 1024;

// The chunk size for a file of this size: the power of two nearest above
// size / kTargetChunks, within [kMinChunkSize, kMaxChunkSize]. A 20 KB file
// gets 16 KiB chunks (2 chunks), 256 MiB gets 256 KiB (1024), 10 GiB gets
// 16 MiB (640).
std::uint32_t chunk_size_for(std::uint64_t file_size);

// Number of chunks of a file (0 for an empty file).
std::uint64_t chunk_count_for(std::uint64_t file_size, std::uint32_t chunk_size);

struct Manifest {
  std::uint64_t size = 0;
  std::uint32_t chunk_size = 0;
  std::vector<Sha256Digest> chunks;  // one per chunk, in order
  Sha256Digest root{};

  std::uint32_t chunk_count() const { return static_cast<std::uint32_t>(chunks.size()); }
  std::uint64_t chunk_offset(std::uint32_t index) const { return std::uint64_t{index} * chunk_size; }
  // Bytes in chunk `index`: chunk_size, except for a shorter last chunk.
  std::uint32_t chunk_length(std::uint32_t index) const;
  std::string root_hex() const;
};

// SHA-256 over "EHS1", the size (u64 big-endian), the chunk size (u32
// big-endian) and every chunk digest in order: two files with the same
// chunks but a different geometry never share a root.
Sha256Digest root_of(std::uint64_t size, std::uint32_t chunk_size, const std::vector<Sha256Digest>& chunks);

// Empty when the manifest is consistent (chunk size in range and a power of
// two, chunk count matches the size, root matches the chunks); otherwise
// what is wrong, for an error reply.
std::string manifest_problem(const Manifest& manifest);

// Hashes a regular file into a manifest, calling progress(bytes_done,
// total) after each chunk. Throws std::runtime_error if it cannot be read.
using HashProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;
Manifest build_manifest(const std::filesystem::path& file, const HashProgress& progress = {});

}  // namespace edgehub::p2p::swarm
