#include "hub/edge_data/edge_upload.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "data/data_log.hpp"
#include "hub/core/async.hpp"
#include "hub/core/hub.hpp"
#include "protocol/reply.hpp"

namespace edgehub::hub {

using protocol::StatusCode;

EdgeUpload::EdgeUpload(Hub& hub, EdgeDataStore store, std::string device, data::FileId id, std::uint64_t size,
                       std::string sha256_hex)
    : hub_(hub), store_(std::move(store)), device_(std::move(device)), id_(id), declared_size_(size),
      declared_sha_(std::move(sha256_hex)) {}

EdgeUpload::~EdgeUpload() { discard_temp(); }

bool EdgeUpload::open(Session& s) {
  try {
    temp_ = store_.temp_path(device_);
  } catch (const std::exception& e) {
    fail(s, 500, std::string("cannot create upload directory: ") + e.what());
    return false;
  }
  fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    fail(s, 500, "cannot create a temporary file for the upload");
    return false;
  }
  return true;
}

void EdgeUpload::discard_temp() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_.empty()) {
    std::error_code ignored;
    std::filesystem::remove(temp_, ignored);
    temp_.clear();
  }
}

void EdgeUpload::fail(Session& s, int code, const std::string& message) {
  if (failed_) return;
  failed_ = true;
  discard_temp();
  s.send(protocol::encode_err(static_cast<StatusCode>(code), message));
}

boost::asio::awaitable<void> EdgeUpload::on_block(Session& s, std::string_view block) {
  if (!block.empty()) {
    if (!failed_) take(s, block);
    co_return;
  }
  s.block_sink = nullptr;  // "$0": this upload is over either way
  if (!failed_) co_await finish(s);
}

void EdgeUpload::take(Session& s, std::string_view block) {
  received_ += block.size();
  if (received_ > declared_size_) return fail(s, 400, fmt::format("upload is larger than the declared {} bytes", declared_size_));
  sha_.update(block);
  if (!validator_.feed(block)) return fail(s, 400, fmt::format("file {} refused: {}; nothing was stored", id_.str(), validator_.error()->message()));
  // Page-cache writes of at most 1 MiB: short enough for the network
  // thread; the fsync that can take long happens on a worker in finish().
  while (!block.empty()) {
    const ssize_t n = ::write(fd_, block.data(), block.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(s, 500, "the server could not write the upload (disk full?)");
    block.remove_prefix(static_cast<std::size_t>(n));
  }
}

boost::asio::awaitable<void> EdgeUpload::finish(Session& s) {
  if (received_ != declared_size_)
    co_return fail(s, 400, fmt::format("upload ended after {} of {} bytes; nothing was stored", received_, declared_size_));
  if (digest_hex(sha_.finish()) != declared_sha_) co_return fail(s, 400, "SHA-256 mismatch: the upload was corrupted; nothing was stored");
  if (!validator_.finish()) co_return fail(s, 400, fmt::format("file {} refused: {}; nothing was stored", id_.str(), validator_.error()->message()));
  ::close(fd_);
  fd_ = -1;
  const data::Stats stats = validator_.stats();
  const auto log = hub_.config().data_dir / "upload-log.txt";
  const std::string line = data::format_data_log_line(device_, std::chrono::system_clock::now(), id_, stats.count);
  std::string error;
  co_await run_blocking(hub_.workers(), [&] {
    try {
      store_.install(device_, id_, temp_, stats);
      append_line_durably(log, line);
    } catch (const std::exception& e) {
      error = e.what();
    }
  });
  if (!error.empty()) {
    spdlog::error("UED {} from {}: {}", id_.str(), device_, error);
    co_return fail(s, 500, "the server could not store the upload: " + error);
  }
  temp_.clear();  // installed: no longer ours to delete
  s.send(protocol::encode_ok(fmt::format("file {} uploaded: {} values, {} bytes", id_.str(), stats.count, received_)));
}

BlockSink discard_blocks_until_end() {
  return [](Session& s, std::string_view block) -> boost::asio::awaitable<void> {
    if (block.empty()) s.block_sink = nullptr;
    co_return;
  };
}

}  // namespace edgehub::hub
