#pragma once
// One UED upload in progress: receives the "$N" blocks that follow
//   UED FILEID SIZE SHA256
// validating content ("one integer per line") and hashing as bytes arrive,
// writing them to a temporary file. The command gets exactly one reply:
// an error as soon as something is wrong (the rest of the blocks, up to
// "$0", are then discarded), or the result once "$0" ends the stream and
// the file is installed.
//
// Threads: lives on its connection's thread, which validates and hashes
// each block (CPU only). Creating the temporary, the install (fsync,
// rename) and removing a failed upload run on the worker pool through
// run_blocking.
//
// Exception to "no disk I/O on a network thread": each block's write(2) to
// the temporary (at most 1 MiB, into the page cache) stays on the network
// thread. Moved to a worker (one run_blocking hop per block), an upload of
// 10 M values (104 MB) through a RelWithDebInfo edgehubd took 1.64-5.09 s
// (4 of 4 runs slower) instead of 1.09-1.56 s, measured alternately on the
// same 2-core machine under load 9-20: every hop waits for a worker and then
// for the network thread to be scheduled again
// (docs/ARCHITECTURE.md#threads-and-who-owns-what).
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/sha256.hpp"
#include "data/file_id.hpp"
#include "data/stream_validator.hpp"
#include "hub/core/session.hpp"
#include "hub/edge_data/edge_data_store.hpp"
#include "protocol/status_code.hpp"

namespace edgehub::hub {

class Hub;

class EdgeUpload {
 public:
  EdgeUpload(Hub& hub, std::string device, data::FileId id, std::uint64_t size, std::string sha256_hex);
  // A temporary still held (the connection closed mid-upload) is removed
  // on a worker.
  ~EdgeUpload();
  EdgeUpload(const EdgeUpload&) = delete;
  EdgeUpload& operator=(const EdgeUpload&) = delete;

  // Creates the temporary; false (and the error sent) if that failed.
  boost::asio::awaitable<bool> open(Session& s);
  // The block sink: one call per "$N" block, "$0" (empty) ends.
  boost::asio::awaitable<void> on_block(Session& s, std::string_view block);

 private:
  void take(Session& s, std::string_view block);
  boost::asio::awaitable<void> finish(Session& s);
  // Sends the one error reply; the caller then awaits discard_temp().
  void fail(Session& s, protocol::StatusCode code, const std::string& message);
  boost::asio::awaitable<void> discard_temp();

  Hub& hub_;
  const EdgeDataStore& store_;
  std::string device_;
  data::FileId id_;
  std::uint64_t declared_size_;
  std::string declared_sha_;
  std::uint64_t received_ = 0;
  Sha256 sha_;
  data::StreamValidator validator_;
  int dir_ = -1;      // the device's directory (EdgeDataStore::open_device_dir)
  std::string temp_;  // the temporary's name in it
  int fd_ = -1;
  bool failed_ = false;
};

// "UED 7 SIZE SHA" with an error before any block: swallow blocks up to "$0".
BlockSink discard_blocks_until_end();

}  // namespace edgehub::hub
