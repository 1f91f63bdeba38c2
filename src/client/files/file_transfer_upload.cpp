#include "client/files/file_transfer_upload.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "client/core/client_app.hpp"
#include "client/core/foreground_cancel.hpp"
#include "client/shell/progress_bar.hpp"
#include "common/sha256.hpp"
#include "protocol/limits.hpp"
#include "protocol/reply.hpp"

namespace edgehub::client {
namespace {

using Kind = protocol::ServerMessage::Kind;

constexpr std::size_t kBlock = protocol::kClientToServer.max_block;
// Bytes handed to the connection but not yet written to the socket: keeps
// a large upload streaming instead of filling memory.
constexpr std::size_t kMaxUnsentFileBytes = 4 * kBlock;

class LocalFile {
 public:
  explicit LocalFile(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~LocalFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  LocalFile(const LocalFile&) = delete;
  LocalFile& operator=(const LocalFile&) = delete;
  int fd() const { return fd_; }

  // Up to size bytes at offset into out; 0 at the end. Throws on error.
  std::size_t read_at(std::uint64_t offset, char* out, std::size_t size) const {
    for (;;) {
      const ssize_t n = ::pread(fd_, out, size, static_cast<off_t>(offset));
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno != EINTR) throw std::runtime_error(std::string("read error: ") + std::strerror(errno));
    }
  }

 private:
  int fd_;
};

std::string hash_file(const LocalFile& file, std::uint64_t size) {
  Sha256 hash;
  std::string buffer(kBlock, '\0');
  for (std::uint64_t offset = 0; offset < size;) {
    const std::size_t n = file.read_at(offset, buffer.data(), buffer.size());
    if (n == 0) throw std::runtime_error("the file shrank while it was being read");
    hash.update(buffer.data(), n);
    offset += n;
  }
  return digest_hex(hash.finish());
}

// Sends the file as blocks, then "$0" (always: it ends the upload on the
// server even if the file shrank meanwhile or Ctrl-C cancelled it; the
// server then says so and discards it).
bool stream_file(ClientApp& app, const LocalFile& file, std::uint64_t size, const std::string& name,
                 const ForegroundCancel& cancel) {
  ProgressBar bar(app.out(), "put " + name, size);
  bool open = true;
  for (std::uint64_t offset = 0; offset < size && open && !cancel.requested();) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(kBlock, size - offset));
    std::string frame = protocol::encode_block_header(want);
    const std::size_t head = frame.size();
    frame.resize(head + want);
    const std::size_t n = file.read_at(offset, frame.data() + head, want);
    if (n == 0) break;
    if (n < want) frame = protocol::encode_block_header(n) + frame.substr(head, n);
    app.link().send_bytes(std::move(frame));
    offset += n;
    open = app.link().wait_unsent_below(kMaxUnsentFileBytes);
    bar.update(offset);
  }
  app.link().send_bytes(protocol::encode_block_header(0));
  return open;
}

}  // namespace

void upload_file(ClientApp& app, const std::string& path, bool replace) {
  const std::string name = std::filesystem::path(path).filename().string();
  if (name.find_first_of(" \t") != std::string::npos)
    return app.out().error(
        fmt::format("put: '{}': names in the repository cannot contain spaces; copy or rename the file first", name));
  const LocalFile file(path);
  struct stat st {};
  if (file.fd() < 0 || ::fstat(file.fd(), &st) != 0)
    return app.out().error(fmt::format("put: cannot open {}: {}", path, std::strerror(errno)));
  if (!S_ISREG(st.st_mode)) return app.out().error(fmt::format("put: {} is not a regular file", path));
  const auto size = static_cast<std::uint64_t>(st.st_size);
  const ForegroundCancel cancel;
  const std::string sha = hash_file(file, size);
  const std::string cancelled = fmt::format("put {} cancelled: nothing was stored", name);
  if (cancel.requested()) return app.out().error(cancelled);
  app.link().send_line(fmt::format("put {} {} {}{}", name, size, sha, replace ? " replace" : ""));
  const auto ready = app.link().next_reply();
  if (!ready) return app.out().error("Connection to the server lost");
  if (ready->kind != Kind::Ok) return app.out().reply(*ready);  // refused: nothing was sent
  if (!stream_file(app, file, size, name, cancel))
    return app.out().error("Connection to the server lost during the upload");
  const auto stored = app.link().next_reply();
  if (!stored) return app.out().error("Connection to the server lost before it confirmed the upload");
  if (cancel.requested() && stored->kind == Kind::Err) return app.out().error(cancelled);
  app.out().reply(*stored);
}

}  // namespace edgehub::client
