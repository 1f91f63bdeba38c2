#include "hub/files/repository_hash_cache.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <vector>

#include <fmt/format.h>

#include "common/sha256.hpp"
#include "common/strings.hpp"

namespace edgehub::hub {
namespace {

constexpr std::string_view kSidecarMagic = "edgehub-sha256/1";
constexpr std::size_t kHashChunk = 1 << 20;

std::string sidecar_text(const FileStamp& st, const std::string& sha) {
  return fmt::format("{} {} {} {} {} {}\n", kSidecarMagic, st.dev, st.ino, st.size, st.mtime_ns, sha);
}

}  // namespace

FileStamp stamp_of(const struct stat& st) {
  return {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
          static_cast<std::uint64_t>(st.st_size),
          static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

std::string hash_open_file(int fd, std::uint64_t size) {
  Sha256 hash;
  std::vector<char> buffer(kHashChunk);
  for (std::uint64_t offset = 0; offset < size;) {
    const ssize_t n = ::pread(fd, buffer.data(), buffer.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno(errno, "read for SHA-256");
    if (n == 0) throw std::runtime_error("file shrank while being hashed");
    hash.update(buffer.data(), static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
  return digest_hex(hash.finish());
}

HashCache::HashCache(int repo_dir) : repo_dir_(repo_dir) {
  ::mkdirat(repo_dir_, kMetaDir, 0755);  // EEXIST is fine; anything else: memory only
  meta_dir_ = UniqueFd(::openat(repo_dir_, kMetaDir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

std::string HashCache::hash_of(const std::string& name, int fd, const FileStamp& stamp) {
  if (auto sha = known(name, stamp)) return *sha;
  std::lock_guard hashing(hashing_);
  if (auto sha = known(name, stamp)) return *sha;  // hashed while we waited
  std::string sha = hash_open_file(fd, stamp.size);
  remember(name, stamp, sha);
  return sha;
}

std::optional<std::string> HashCache::known(const std::string& name, const FileStamp& stamp) {
  {
    std::lock_guard lock(mutex_);
    const auto it = memory_.find(name);
    if (it != memory_.end() && it->second.stamp == stamp) return it->second.sha256;
  }
  auto sha = read_sidecar(name, stamp);
  if (sha) {
    std::lock_guard lock(mutex_);
    memory_[name] = {stamp, *sha};
  }
  return sha;
}

void HashCache::remember(const std::string& name, const FileStamp& stamp, const std::string& sha256_hex) {
  {
    std::lock_guard lock(mutex_);
    memory_[name] = {stamp, sha256_hex};
  }
  write_sidecar(name, stamp, sha256_hex);
}

std::optional<std::string> HashCache::read_sidecar(const std::string& name, const FileStamp& stamp) const {
  if (!meta_dir_.valid()) return std::nullopt;
  const UniqueFd fd(::openat(meta_dir_.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) return std::nullopt;
  std::array<char, 256> buffer{};
  const ssize_t n = ::pread(fd.get(), buffer.data(), buffer.size(), 0);
  if (n <= 0) return std::nullopt;
  const std::string_view text(buffer.data(), static_cast<std::size_t>(n));
  const auto words = split_words(trim(text), 6);
  if (words.size() != 6 || words[0] != kSidecarMagic || !is_sha256_hex(words[5])) return std::nullopt;
  // Strict: a sidecar of another version of the file, or a torn one, is ignored.
  if (sidecar_text(stamp, std::string(words[5])) != text) return std::nullopt;
  return std::string(words[5]);
}

void HashCache::write_sidecar(const std::string& name, const FileStamp& stamp, const std::string& sha256_hex) const {
  if (!meta_dir_.valid()) return;
  // Written to a temporary, then renamed: a reader sees a whole sidecar or
  // none. Not fsynced: a lost sidecar only costs one more hashing.
  static std::atomic<unsigned> counter{0};
  const std::string tmp = fmt::format(".tmp-{}-{}", ::getpid(), counter.fetch_add(1));
  const UniqueFd fd(::openat(meta_dir_.get(), tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
  if (!fd.valid()) return;
  const std::string text = sidecar_text(stamp, sha256_hex);
  try {
    write_all_at(fd.get(), text.data(), text.size(), 0, "write hash sidecar");
  } catch (const std::exception&) {
    ::unlinkat(meta_dir_.get(), tmp.c_str(), 0);
    return;
  }
  if (::renameat(meta_dir_.get(), tmp.c_str(), meta_dir_.get(), name.c_str()) != 0)
    ::unlinkat(meta_dir_.get(), tmp.c_str(), 0);
}

void HashCache::prune_sidecars() {
  if (!meta_dir_.valid()) return;
  for (const auto& name : entry_names(meta_dir_.get())) {
    struct stat st {};
    const bool stale_tmp = name.front() == '.';
    const bool orphan = ::fstatat(repo_dir_, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 && errno == ENOENT;
    if (stale_tmp || orphan) ::unlinkat(meta_dir_.get(), name.c_str(), 0);
  }
}

}  // namespace edgehub::hub
