#include "p2p/swarm/manifest.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <sys/stat.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "common/strings.hpp"

namespace edgehub::p2p::swarm {

std::uint32_t chunk_size_for(std::uint64_t file_size) {
  const std::uint64_t wanted = (file_size + kTargetChunks - 1) / kTargetChunks;
  const std::uint64_t pow2 = std::bit_ceil(std::max<std::uint64_t>(wanted, 1));
  return static_cast<std::uint32_t>(std::clamp<std::uint64_t>(pow2, kMinChunkSize, kMaxChunkSize));
}

std::uint64_t chunk_count_for(std::uint64_t file_size, std::uint32_t chunk_size) {
  return chunk_size == 0 ? 0 : (file_size + chunk_size - 1) / chunk_size;
}

std::uint32_t Manifest::chunk_length(std::uint32_t index) const {
  const std::uint64_t start = chunk_offset(index);
  if (start >= size) return 0;
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(chunk_size, size - start));
}

std::string Manifest::root_hex() const { return digest_hex(root); }

Sha256Digest root_of(std::uint64_t size, std::uint32_t chunk_size, const std::vector<Sha256Digest>& chunks) {
  unsigned char header[16] = {'E', 'H', 'S', '1'};
  for (int i = 0; i < 8; ++i) header[4 + i] = static_cast<unsigned char>(size >> (56 - 8 * i));
  for (int i = 0; i < 4; ++i) header[12 + i] = static_cast<unsigned char>(chunk_size >> (24 - 8 * i));
  Sha256 hash;
  hash.update(header, sizeof header);
  for (const auto& digest : chunks) hash.update(digest.data(), digest.size());
  return hash.finish();
}

std::string manifest_problem(const Manifest& m) {
  if (m.size == 0) return "the file is empty";
  if (m.chunk_size < kMinChunkSize || m.chunk_size > kMaxChunkSize || !std::has_single_bit(m.chunk_size))
    return "the chunk size must be a power of two from 16 KiB to 16 MiB";
  if (chunk_count_for(m.size, m.chunk_size) != m.chunks.size())
    return "the number of chunk hashes does not match the size and chunk size";
  if (root_of(m.size, m.chunk_size, m.chunks) != m.root) return "the root hash does not match the chunk hashes";
  return {};
}

namespace {

struct FileDescriptor {
  int fd;
  ~FileDescriptor() { ::close(fd); }
};

std::runtime_error read_error(const std::filesystem::path& file) {
  return std::runtime_error(file.string() + ": " + std::strerror(errno));
}

// Reads exactly len bytes at offset (short only at end of file).
std::size_t read_at(int fd, unsigned char* buffer, std::size_t len, std::uint64_t offset) {
  std::size_t got = 0;
  while (got < len) {
    const ssize_t n = ::pread(fd, buffer + got, len - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return static_cast<std::size_t>(-1);
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  return got;
}

}  // namespace

Manifest build_manifest(const std::filesystem::path& file, const HashProgress& progress) {
  FileDescriptor in{::open(file.c_str(), O_RDONLY | O_CLOEXEC)};
  if (in.fd < 0) throw read_error(file);
  struct stat st {};
  if (::fstat(in.fd, &st) != 0) throw read_error(file);
  if (!S_ISREG(st.st_mode)) throw std::runtime_error(file.string() + ": not a regular file");
  Manifest m;
  m.size = static_cast<std::uint64_t>(st.st_size);
  m.chunk_size = chunk_size_for(m.size);
  const std::uint64_t count = chunk_count_for(m.size, m.chunk_size);
  m.chunks.reserve(count);
  std::vector<unsigned char> buffer(m.chunk_size);
  Sha256 hash;
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint32_t want = m.chunk_length(static_cast<std::uint32_t>(i));
    const std::size_t got = read_at(in.fd, buffer.data(), want, m.chunk_offset(static_cast<std::uint32_t>(i)));
    if (got == static_cast<std::size_t>(-1)) throw read_error(file);
    if (got != want) throw std::runtime_error(file.string() + ": changed while it was being hashed");
    hash.update(buffer.data(), got);
    m.chunks.push_back(hash.finish());
    if (progress) progress(m.chunk_offset(static_cast<std::uint32_t>(i)) + got, m.size);
  }
  m.root = root_of(m.size, m.chunk_size, m.chunks);
  return m;
}

}  // namespace edgehub::p2p::swarm
