#include "hub/edge_data/edge_upload.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include <cerrno>
#include <utility>

#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "data/data_log.hpp"
#include "hub/core/async.hpp"
#include "hub/core/hub.hpp"
#include "protocol/reply.hpp"

namespace edgehub::hub {

using protocol::StatusCode;

namespace {

// Writes all of block to fd (page-cache writes of at most one block); false
// on an error such as a full disk.
bool write_all(int fd, std::string_view block) {
  while (!block.empty()) {
    const ssize_t n = ::write(fd, block.data(), block.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    block.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Unlinking a large file is disk work: called on a worker.
void close_and_remove(int dir, int fd, const std::string& temp) {
  if (fd >= 0) ::close(fd);
  if (dir >= 0 && !temp.empty()) ::unlinkat(dir, temp.c_str(), 0);
  if (dir >= 0) ::close(dir);
}

}  // namespace

EdgeUpload::EdgeUpload(Hub& hub, std::string device, data::FileId id, std::uint64_t size, std::string sha256_hex)
    : hub_(hub),
      store_(hub.edge_data()),
      device_(std::move(device)),
      id_(id),
      declared_size_(size),
      declared_sha_(std::move(sha256_hex)) {}

EdgeUpload::~EdgeUpload() {
  if (fd_ < 0 && dir_ < 0) return;
  // Not awaited: nobody waits for a closed connection. If the pool has
  // already stopped (shutdown), the temporary stays until the next start
  // removes it (EdgeDataStore::remove_leftovers).
  boost::asio::post(hub_.workers(),
                    [dir = dir_, fd = fd_, temp = std::move(temp_)] { close_and_remove(dir, fd, temp); });
}

boost::asio::awaitable<bool> EdgeUpload::open(Session& s) {
  std::string error;
  co_await run_blocking(hub_.workers(), [&] {
    try {
      dir_ = store_.open_device_dir(device_, true).release();
    } catch (const std::exception& e) {
      error = std::string("cannot open the upload directory: ") + e.what();
      return;
    }
    temp_ = EdgeDataStore::temp_name();
    fd_ = ::openat(dir_, temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd_ < 0) error = "cannot create a temporary file for the upload";
  });
  if (error.empty()) co_return true;
  fail(s, StatusCode::Internal, error);
  co_await discard_temp();
  co_return false;
}

boost::asio::awaitable<void> EdgeUpload::discard_temp() {
  if (fd_ < 0 && dir_ < 0) co_return;
  co_await run_blocking(hub_.workers(),
                        [this] { close_and_remove(std::exchange(dir_, -1), std::exchange(fd_, -1), temp_); });
  temp_.clear();
}

void EdgeUpload::fail(Session& s, StatusCode code, const std::string& message) {
  if (failed_) return;
  failed_ = true;
  s.send(protocol::encode_err(code, message));
}

boost::asio::awaitable<void> EdgeUpload::on_block(Session& s, std::string_view block) {
  if (block.empty()) {
    s.block_sink = nullptr;  // "$0": this upload is over either way (Hub::on_block holds a copy of the sink)
    if (!failed_) co_await finish(s);
  } else if (!failed_) {
    take(s, block);
  }
  if (failed_) co_await discard_temp();
}

void EdgeUpload::take(Session& s, std::string_view block) {
  received_ += block.size();
  if (received_ > declared_size_)
    return fail(s, StatusCode::BadRequest, fmt::format("upload is larger than the declared {} bytes", declared_size_));
  sha_.update(block);
  if (!validator_.feed(block))
    return fail(s, StatusCode::BadRequest,
                fmt::format("file {} refused: {}; nothing was stored", id_.str(), validator_.error()->message()));
  // The one disk call left on the network thread, measured: see the header.
  if (!write_all(fd_, block)) fail(s, StatusCode::Internal, "the server could not write the upload (disk full?)");
}

boost::asio::awaitable<void> EdgeUpload::finish(Session& s) {
  if (received_ != declared_size_)
    co_return fail(s, StatusCode::BadRequest,
                   fmt::format("upload ended after {} of {} bytes; nothing was stored", received_, declared_size_));
  if (digest_hex(sha_.finish()) != declared_sha_)
    co_return fail(s, StatusCode::BadRequest, "SHA-256 mismatch: the upload was corrupted; nothing was stored");
  if (!validator_.finish())
    co_return fail(s, StatusCode::BadRequest,
                   fmt::format("file {} refused: {}; nothing was stored", id_.str(), validator_.error()->message()));
  const data::Stats stats = validator_.stats();
  const auto log = hub_.config().data_dir / "upload-log.txt";
  const std::string line = data::format_data_log_line(device_, std::chrono::system_clock::now(), id_, stats.count);
  std::string error;
  co_await run_blocking(hub_.workers(), [&] {
    try {
      store_.install(dir_, device_, id_, temp_, fd_, stats);
      temp_.clear();  // installed: no longer ours to delete
      close_and_remove(std::exchange(dir_, -1), std::exchange(fd_, -1), temp_);
      append_line_durably(log, line);
    } catch (const std::exception& e) {
      error = e.what();
    }
  });
  if (!error.empty()) {
    spdlog::error("UED {} from {}: {}", id_.str(), device_, error);
    co_return fail(s, StatusCode::Internal, "the server could not store the upload: " + error);
  }
  s.send(protocol::encode_ok(fmt::format("file {} uploaded: {} values, {} bytes", id_.str(), stats.count, received_)));
}

BlockSink discard_blocks_until_end() {
  return [](Session& s, std::string_view block) -> boost::asio::awaitable<void> {
    if (block.empty()) s.block_sink = nullptr;
    co_return;
  };
}

}  // namespace edgehub::hub
