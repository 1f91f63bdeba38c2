#pragma once
// A swarm download on disk (docs/SWARM.md#4-peer-wire): the file being
// assembled, `.NAME.swarm-part` (preallocated to its size, written at chunk
// offsets), and `.NAME.swarm-have` (the manifest's root and the bitmap of
// verified chunks), both in the download directory. A download run again
// resumes from the verified chunks when the root matches, else starts over.
// NAME appears only after finish() found every chunk verified.
//
// Sinks buffer each chunk in memory (4 KiB aligned, for O_DIRECT writes) and write it only once its SHA-256
// matched the manifest, so the part file never holds unverified bytes at a
// verified chunk (two sinks may race for one chunk in the endgame), and the
// verified chunks can be served to other downloaders at once (read,
// range_source). Each stored chunk's writeback is started at once; the have
// file is rewritten, after an fdatasync of the part file, every kSyncEvery
// bytes or kSyncInterval (whichever first), on sync(), finish() and
// destruction. So it never claims a chunk that is not on disk, and a crash
// costs at most the chunks verified since (they are fetched again). Syncing
// per transfer instead blocked the network thread on the disk many times a
// second (docs/SWARM.md#4-peer-wire).
//
// Threading: not thread-safe; use it on one thread (the client's I/O thread).
// A fresh part file's blocks are reserved by a thread of its own that
// touches nothing but the descriptor (fallocate), joined by finish() and the
// destructor.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "p2p/chunk_io.hpp"
#include "p2p/swarm/buffer_pool.hpp"
#include "p2p/swarm/chunk_ranges.hpp"
#include "p2p/swarm/manifest.hpp"

namespace edgehub::p2p::swarm {

class PartFile : public std::enable_shared_from_this<PartFile> {
 public:
  using ChunkCallback = std::function<void(std::uint32_t chunk)>;
  static constexpr std::uint64_t kSyncEvery = 64ull << 20;
  static constexpr std::chrono::seconds kSyncInterval{2};

  // Opens or creates the part and have files of NAME in dir; throws
  // std::runtime_error (std::system_error) if they cannot be created.
  static std::shared_ptr<PartFile> open(const std::filesystem::path& dir, const std::string& name, Manifest manifest);
  ~PartFile();
  PartFile(const PartFile&) = delete;
  PartFile& operator=(const PartFile&) = delete;

  const Manifest& manifest() const { return manifest_; }
  const ChunkSet& have() const { return have_; }
  // Chunks found verified on disk when opened (0: a fresh start).
  std::uint32_t resumed_chunks() const { return resumed_; }
  bool complete() const { return have_.complete(); }

  // A sink for the bytes of chunks [first, first + count) in order, as an EHT
  // transfer answering a swarm request delivers them. Each chunk is checked
  // when its last byte arrives: a match is written and on_verified(chunk)
  // called; a mismatch calls on_bad(chunk) and throws, which aborts the
  // transfer. commit() throws unless every byte of the range arrived.
  // Verified chunks stay verified whatever happens to the transfer.
  std::unique_ptr<ChunkSink> chunk_sink(std::uint32_t first, std::uint32_t count, ChunkCallback on_verified,
                                        ChunkCallback on_bad);
  // Bytes of the range [first, first + count), for serving verified chunks
  // to others; nullptr unless every one of them is verified.
  std::unique_ptr<ChunkSource> range_source(std::uint32_t first, std::uint32_t count);
  // Reads verified bytes; throws std::runtime_error if the range touches a
  // chunk not verified.
  void read(std::uint64_t offset, std::span<std::uint8_t> out) const;

  // Makes the verified chunks durable and records them in the have file.
  void sync();
  // Every chunk verified and the root matching: renames the part file to
  // NAME (replacing a file of that name), removes the have file and returns
  // the final path. Throws std::runtime_error otherwise (nothing changes).
  // The object stays usable for reading (serving) afterwards.
  std::filesystem::path finish();

  std::filesystem::path part_path() const;
  std::filesystem::path have_path() const;
  std::filesystem::path final_path() const;

  // Used by the sinks: checks one complete chunk and stores it. False if its
  // hash does not match (nothing is written).
  bool store_chunk(std::uint32_t chunk, std::span<const std::uint8_t> bytes);

  // Used by the sinks: a buffer of chunk_size bytes (rounded up to 4 KiB),
  // aligned for O_DIRECT, and its return. Returned buffers are handed out
  // again (up to kSpareBuffers kept): a fresh one faults in 64 pages per
  // 256 KiB chunk (p2p/swarm/buffer_pool.hpp).
  using ChunkBuffer = BufferPool::Buffer;
  static constexpr std::size_t kSpareBuffers = 64;
  ChunkBuffer take_buffer() { return chunk_buffers_.take(); }
  void give_back(ChunkBuffer buffer) noexcept { chunk_buffers_.give_back(std::move(buffer)); }

 private:
  static constexpr std::uint64_t kDirectAlign = 4096;  // O_DIRECT: offset, length and buffer aligned to this

  PartFile(std::filesystem::path dir, std::string name, Manifest manifest);
  void resume_or_start();
  bool try_resume();
  void start_over();
  void write_chunk(std::span<const std::uint8_t> bytes, std::uint64_t offset);
  std::string have_text() const;

  std::filesystem::path dir_;
  std::string name_;
  Manifest manifest_;
  ChunkSet have_;
  int fd_ = -1;
  int direct_fd_ = -1;  // O_DIRECT writes of whole chunks; -1 where the filesystem refuses them
  std::uint32_t resumed_ = 0;
  std::uint64_t unsynced_ = 0;  // bytes verified since the have file was written
  std::chrono::steady_clock::time_point synced_at_ = std::chrono::steady_clock::now();
  bool finished_ = false;
  BufferPool chunk_buffers_;
  std::jthread reserver_;  // fallocate of a fresh part file, off the download's start
};

}  // namespace edgehub::p2p::swarm
