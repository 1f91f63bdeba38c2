#include "hub/edge_data/edge_intake.hpp"

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
#include "hub/edge_data/edge_data_store.hpp"

namespace edgehub::hub {

using protocol::StatusCode;

namespace {

// Unlinking a large file is disk work: called on a worker.
void close_and_remove(int dir, int fd, const std::string& temp) {
  if (fd >= 0) ::close(fd);
  if (dir >= 0 && !temp.empty()) ::unlinkat(dir, temp.c_str(), 0);
  if (dir >= 0) ::close(dir);
}

EdgeFailure refused(StatusCode code, std::string message) { return EdgeFailure{code, std::move(message)}; }

}  // namespace

std::optional<EdgeFailure> check_edge_upload_size(std::uint64_t size) {
  if (size <= kMaxEdgeUploadBytes) return std::nullopt;
  return refused(StatusCode::TooLarge, fmt::format("uploads are limited to {} bytes", kMaxEdgeUploadBytes));
}

EdgeIntake::EdgeIntake(Hub& hub, std::string device, data::FileId id, std::uint64_t size, std::string sha256_hex)
    : hub_(hub),
      store_(hub.edge_data()),
      device_(std::move(device)),
      id_(id),
      declared_size_(size),
      declared_sha_(std::move(sha256_hex)) {}

EdgeIntake::~EdgeIntake() {
  if (fd_ < 0 && dir_ < 0) return;
  // Not awaited: nobody waits for a closed connection. If the pool has
  // already stopped (shutdown), the temporary stays until the next start
  // removes it (EdgeDataStore::remove_leftovers). After the spool's job:
  // it may be writing to fd_.
  auto remove = [dir = dir_, fd = fd_, temp = std::move(temp_)] { close_and_remove(dir, fd, temp); };
  if (spool_)
    spool_->after_jobs(std::move(remove));
  else
    boost::asio::post(hub_.workers(), std::move(remove));
}

boost::asio::awaitable<std::optional<EdgeFailure>> EdgeIntake::open() {
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
  if (error.empty()) {
    spool_.emplace(hub_.workers(), fd_);
    co_return std::nullopt;
  }
  co_await discard();
  co_return refused(StatusCode::Internal, error);
}

boost::asio::awaitable<void> EdgeIntake::discard() {
  if (fd_ < 0 && dir_ < 0) co_return;
  if (spool_) co_await spool_->drain();  // its job may be writing to fd_
  co_await run_blocking(hub_.workers(),
                        [this] { close_and_remove(std::exchange(dir_, -1), std::exchange(fd_, -1), temp_); });
  temp_.clear();
}

namespace {

std::optional<EdgeFailure> write_failure(int error) {
  if (error == 0) return std::nullopt;
  if (error == ENOSPC || error == EDQUOT)
    return refused(StatusCode::DiskFull, "the server's disk is full; nothing was stored");
  return refused(StatusCode::Internal, "the server could not write the upload (disk full?)");
}

}  // namespace

boost::asio::awaitable<std::optional<EdgeFailure>> EdgeIntake::take(std::string_view block) {
  received_ += block.size();
  if (received_ > declared_size_)
    co_return refused(StatusCode::BadRequest,
                      fmt::format("upload is larger than the declared {} bytes", declared_size_));
  // While the spool's job hashes and writes the block before.
  if (!validator_.feed(block))
    co_return refused(StatusCode::BadRequest,
                      fmt::format("file {} refused: {}; nothing was stored", id_.str(), validator_.error()->message()));
  const int error = co_await spool_->write(block);
  co_return write_failure(error);
}

boost::asio::awaitable<EdgeStored> EdgeIntake::finish() {
  EdgeStored out;
  out.bytes = received_;
  const int write_error = co_await spool_->finish();
  out.failure = write_failure(write_error);
  if (out.failure) co_return out;
  out.sha256 = digest_hex(spool_->digest());
  if (received_ != declared_size_) {
    out.failure = refused(StatusCode::BadRequest, fmt::format("upload ended after {} of {} bytes; nothing was stored",
                                                              received_, declared_size_));
  } else if (!declared_sha_.empty() && out.sha256 != declared_sha_) {
    out.failure = refused(StatusCode::BadRequest, "SHA-256 mismatch: the upload was corrupted; nothing was stored");
  } else if (!validator_.finish()) {
    out.failure = refused(StatusCode::BadRequest, fmt::format("file {} refused: {}; nothing was stored", id_.str(),
                                                              validator_.error()->message()));
  }
  if (out.failure) co_return out;
  out.stats = validator_.stats();
  const auto log = hub_.config().data_dir / "upload-log.txt";
  const std::string line = data::format_data_log_line(device_, std::chrono::system_clock::now(), id_, out.stats.count);
  std::string error;
  co_await run_blocking(hub_.workers(), [&] {
    try {
      store_.install(dir_, device_, id_, temp_, fd_, out.stats);
      temp_.clear();  // installed: no longer ours to delete
      close_and_remove(std::exchange(dir_, -1), std::exchange(fd_, -1), temp_);
      append_line_durably(log, line);
    } catch (const std::exception& e) {
      error = e.what();
    }
  });
  if (!error.empty()) {
    spdlog::error("upload of edge data {} from {}: {}", id_.str(), device_, error);
    out.failure = refused(StatusCode::Internal, "the server could not store the upload: " + error);
  }
  co_return out;
}

}  // namespace edgehub::hub
