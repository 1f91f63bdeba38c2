#pragma once
// The data of one edge-data upload, whatever carries it: the UED command's
// "$N" blocks (edge_upload.hpp) or an HTTP PUT body
// (web/api/edge_data_routes.cpp). It validates the content ("one integer per
// line") and hashes as bytes arrive, writes them to a temporary file in the
// device's directory, and installs the file with its statistics
// atomically once everything arrived. Every failure is a value: the caller
// turns it into its own reply, with the same code and text for both.
//
// Threads: lives on its connection's thread, which validates each block;
// an EdgeSpool (edge_spool.hpp) hashes it and writes it to the temporary
// on a worker meanwhile, a few blocks behind. Creating the temporary, the
// install (fsync, rename) and removing a failed upload run on the worker
// pool through run_blocking.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/sha256.hpp"
#include "data/file_id.hpp"
#include "data/stats.hpp"
#include "data/stream_validator.hpp"
#include "hub/edge_data/edge_spool.hpp"
#include "protocol/status_code.hpp"

namespace edgehub::hub {

class Hub;
class EdgeDataStore;

// Largest upload accepted (EDG's own maximum, 1e9 values, is ~10.4 GB).
inline constexpr std::uint64_t kMaxEdgeUploadBytes = 16ULL * 1024 * 1024 * 1024;

struct EdgeFailure {
  protocol::StatusCode code = protocol::StatusCode::Internal;
  std::string message;
};

// What an upload stored; `failure` set if it stored nothing.
struct EdgeStored {
  std::optional<EdgeFailure> failure;
  data::Stats stats;
  std::uint64_t bytes = 0;
  std::string sha256;  // lower-case hex of the bytes received
};

// The declared size refused before any byte is read (over the limit).
std::optional<EdgeFailure> check_edge_upload_size(std::uint64_t size);

class EdgeIntake {
 public:
  // sha256_hex: the hash the sender declared, checked at the end; empty
  // when it declared none (HTTP without X-Content-SHA256).
  EdgeIntake(Hub& hub, std::string device, data::FileId id, std::uint64_t size, std::string sha256_hex);
  // A temporary still held (the sender went away mid-upload) is removed on
  // a worker.
  ~EdgeIntake();
  EdgeIntake(const EdgeIntake&) = delete;
  EdgeIntake& operator=(const EdgeIntake&) = delete;

  // Creates the temporary.
  boost::asio::awaitable<std::optional<EdgeFailure>> open();
  // One block of data (on the connection's thread): validated, then handed
  // to the spool. A failed write shows at the next block or at finish().
  boost::asio::awaitable<std::optional<EdgeFailure>> take(std::string_view block);
  // After the last block: checks size, hash and content, then installs.
  boost::asio::awaitable<EdgeStored> finish();
  // Removes the temporary (after a failure), on a worker.
  boost::asio::awaitable<void> discard();

  data::FileId id() const { return id_; }
  std::uint64_t received() const { return received_; }
  // The digest a sender declares after its data (UED with "-"); checked by
  // finish() like one given at the start.
  void expect_sha256(std::string sha256_hex) { declared_sha_ = std::move(sha256_hex); }

 private:
  Hub& hub_;
  const EdgeDataStore& store_;
  std::string device_;
  data::FileId id_;
  std::uint64_t declared_size_;
  std::string declared_sha_;
  std::uint64_t received_ = 0;
  data::StreamValidator validator_;
  int dir_ = -1;      // the device's directory (EdgeDataStore::open_device_dir)
  std::string temp_;  // the temporary's name in it
  int fd_ = -1;
  std::optional<EdgeSpool> spool_;  // from open() on: hashes and writes to fd_
};

}  // namespace edgehub::hub
