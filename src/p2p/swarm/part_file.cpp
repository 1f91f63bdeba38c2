#include "p2p/swarm/part_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "common/errno_error.hpp"

namespace edgehub::p2p::swarm {
namespace {

constexpr const char* kHaveMagic = "edgehub-swarm-have 1";

// Gives the file its size at once and refuses a download the filesystem
// has no room for. Reserving the blocks themselves is reserve_blocks()'s.
void size_and_check_space(int fd, std::uint64_t size, const std::filesystem::path& path) {
  if (::ftruncate(fd, 0) != 0) throw_errno("cannot truncate " + path.string());
  if (size == 0) return;
  struct statvfs fs {};
  if (::fstatvfs(fd, &fs) == 0 && fs.f_frsize > 0 && fs.f_bavail < (size + fs.f_frsize - 1) / fs.f_frsize)
    throw std::runtime_error(fmt::format("not enough space for {}: {} bytes needed, {} free", path.string(), size,
                                         static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize));
  if (::ftruncate(fd, static_cast<off_t>(size)) != 0) throw_errno("cannot size " + path.string());
}

// Reserves the file's blocks (no fragmentation, and no one else's file can
// take the space mid-download), on a thread of its own while the download
// starts: in tmpfs, allocating 256 MiB took 24-28 ms, a whole per cent of an
// 8 x 100 Mbit/s swarm download (docs/BENCHMARKS.md#reading-the-swarm-figures).
// Best effort: the space was there a moment ago, and should another writer
// take it first, a chunk's write fails with ENOSPC as it would without
// fallocate. Concurrent writes are safe: the kernel serialises both on the
// inode, and fallocate never changes bytes already written.
std::jthread reserve_blocks(int fd, std::uint64_t size) {
  if (size == 0) return {};
  return std::jthread([fd, size] { ::fallocate(fd, 0, 0, static_cast<off_t>(size)); });
}

void write_all(int fd, const std::uint8_t* data, std::size_t len, std::uint64_t offset) {
  while (len > 0) {
    auto n = ::pwrite(fd, data, len, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("cannot write the part file");
    data += n;
    len -= static_cast<std::size_t>(n);
    offset += static_cast<std::uint64_t>(n);
  }
}

}  // namespace

PartFile::PartFile(std::filesystem::path dir, std::string name, Manifest manifest)
    : dir_(std::move(dir)),
      name_(std::move(name)),
      manifest_(std::move(manifest)),
      have_(manifest_.chunk_count()),
      chunk_buffers_(manifest_.chunk_size, kSpareBuffers) {}

std::shared_ptr<PartFile> PartFile::open(const std::filesystem::path& dir, const std::string& name, Manifest manifest) {
  std::shared_ptr<PartFile> part(new PartFile(dir, name, std::move(manifest)));
  part->resume_or_start();
  return part;
}

PartFile::~PartFile() {
  if (reserver_.joinable()) reserver_.join();  // before its descriptor is closed
  if (fd_ < 0) return;
  if (!finished_) {
    try {
      sync();
    } catch (const std::exception&) {  // best effort: the chunks since the last sync are fetched again
    }
  }
  ::close(fd_);
  if (direct_fd_ >= 0) ::close(direct_fd_);
}

std::filesystem::path PartFile::part_path() const { return dir_ / ("." + name_ + ".swarm-part"); }
std::filesystem::path PartFile::have_path() const { return dir_ / ("." + name_ + ".swarm-have"); }
std::filesystem::path PartFile::final_path() const { return dir_ / name_; }

void PartFile::resume_or_start() {
  fd_ = ::open(part_path().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw_errno("cannot create " + part_path().string());
  // A filesystem without O_DIRECT (older tmpfs) simply gets buffered writes.
  direct_fd_ = ::open(part_path().c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC);
  if (try_resume()) return;
  start_over();
}

// The have file names the root and geometry it belongs to; a part file of
// another version of NAME is never resumed.
bool PartFile::try_resume() {
  std::ifstream in(have_path());
  std::string magic, root, bitmap;
  std::uint64_t size = 0, chunk_size = 0, count = 0;
  if (!std::getline(in, magic) || magic != kHaveMagic) return false;
  if (!(in >> root >> size >> chunk_size >> count >> bitmap)) return false;
  if (root != manifest_.root_hex() || size != manifest_.size || chunk_size != manifest_.chunk_size ||
      count != manifest_.chunk_count())
    return false;
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || static_cast<std::uint64_t>(st.st_size) != manifest_.size) return false;
  auto have = ChunkSet::from_hex(bitmap, manifest_.chunk_count());
  if (!have) return false;
  have_ = std::move(*have);
  resumed_ = have_.count();
  return true;
}

void PartFile::start_over() {
  have_ = ChunkSet(manifest_.chunk_count());
  try {
    size_and_check_space(fd_, manifest_.size, part_path());
  } catch (...) {
    ::unlink(part_path().c_str());  // refused before anything was downloaded: nothing is left behind
    throw;
  }
  reserver_ = reserve_blocks(fd_, manifest_.size);
  write_file_atomically(have_path(), have_text());
}

std::string PartFile::have_text() const {
  std::ostringstream out;
  out << kHaveMagic << "\n"
      << manifest_.root_hex() << " " << manifest_.size << " " << manifest_.chunk_size << " " << manifest_.chunk_count()
      << "\n"
      << have_.to_hex() << "\n";
  return out.str();
}

bool PartFile::store_chunk(std::uint32_t chunk, std::span<const std::uint8_t> bytes) {
  if (chunk >= manifest_.chunk_count() || bytes.size() != manifest_.chunk_length(chunk)) return false;
  Sha256 hash;
  hash.update(bytes.data(), bytes.size());
  if (hash.finish() != manifest_.chunks[chunk]) return false;
  if (have_.test(chunk)) return true;  // an endgame duplicate: the bytes are already there
  write_chunk(bytes, manifest_.chunk_offset(chunk));
  have_.set(chunk);
  unsynced_ += bytes.size();
  if (unsynced_ >= kSyncEvery || std::chrono::steady_clock::now() - synced_at_ >= kSyncInterval) sync();
  return true;
}

// Whole chunks go to the disk with O_DIRECT when the filesystem allows it:
// buffered writes of new data cost up to 4 s of CPU per GiB on the test VMs
// (fresh page-cache pages fault into the hypervisor), direct ones 0.1 s, and
// a download's bytes are not read back soon anyway. Chunk offsets are
// multiples of a power of two >= 16 KiB; the short last chunk, and every
// chunk where O_DIRECT is refused, is written through the page cache with
// its writeback started at once, so that the next sync finds little to do.
void PartFile::write_chunk(std::span<const std::uint8_t> bytes, std::uint64_t offset) {
  const bool aligned = offset % kDirectAlign == 0 && bytes.size() % kDirectAlign == 0 &&
                       reinterpret_cast<std::uintptr_t>(bytes.data()) % kDirectAlign == 0;
  if (direct_fd_ >= 0 && aligned) {
    auto n = ::pwrite(direct_fd_, bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (n == static_cast<ssize_t>(bytes.size())) return;
    if (n >= 0 || errno != EINVAL) throw_errno("cannot write the part file");
    ::close(direct_fd_);  // EINVAL: this filesystem refuses O_DIRECT after all
    direct_fd_ = -1;
  }
  write_all(fd_, bytes.data(), bytes.size(), offset);
  ::sync_file_range(fd_, static_cast<off_t>(offset), static_cast<off_t>(bytes.size()), SYNC_FILE_RANGE_WRITE);
}

void PartFile::read(std::uint64_t offset, std::span<std::uint8_t> out) const {
  if (out.empty()) return;
  if (offset + out.size() > manifest_.size) throw std::runtime_error("read past the end of the file");
  const auto first = static_cast<std::uint32_t>(offset / manifest_.chunk_size);
  const auto last = static_cast<std::uint32_t>((offset + out.size() - 1) / manifest_.chunk_size);
  for (auto c = first; c <= last; ++c)
    if (!have_.test(c)) throw std::runtime_error("chunk " + std::to_string(c) + " is not verified yet");
  std::size_t done = 0;
  while (done < out.size()) {
    auto n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("cannot read the part file");
    if (n == 0) throw std::runtime_error("the part file got shorter");
    done += static_cast<std::size_t>(n);
  }
}

void PartFile::sync() {
  if (finished_ || unsynced_ == 0) return;
  if (::fdatasync(fd_) != 0) throw_errno("cannot sync " + part_path().string());
  write_file_atomically(have_path(), have_text());
  unsynced_ = 0;
  synced_at_ = std::chrono::steady_clock::now();
}

std::filesystem::path PartFile::finish() {
  if (finished_) return final_path();
  if (!have_.complete())
    throw std::runtime_error(std::to_string(manifest_.chunk_count() - have_.count()) + " chunks are still missing");
  // Each chunk matched its digest when it was stored; the digests must give the root.
  if (root_of(manifest_.size, manifest_.chunk_size, manifest_.chunks) != manifest_.root)
    throw std::runtime_error("the chunk hashes do not give the root hash");
  if (reserver_.joinable()) reserver_.join();
  if (::fdatasync(fd_) != 0) throw_errno("cannot sync " + part_path().string());
  std::error_code ec;
  std::filesystem::rename(part_path(), final_path(), ec);
  if (ec) throw std::system_error(ec, "cannot rename to " + final_path().string());
  finished_ = true;
  std::filesystem::remove(have_path(), ec);
  fsync_directory(dir_);
  return final_path();
}

}  // namespace edgehub::p2p::swarm
