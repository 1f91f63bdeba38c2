#pragma once
// One UED upload in progress: receives the "$N" blocks that follow
//   UED FILEID SIZE SHA256
// validating content ("one integer per line") and hashing as bytes arrive,
// writing them to a temporary file. The command gets exactly one reply:
// an error as soon as something is wrong (the rest of the blocks, up to
// "$0", are then discarded), or the result once "$0" ends the stream and
// the file is installed. Lives on its connection's thread.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/sha256.hpp"
#include "data/file_id.hpp"
#include "data/stream_validator.hpp"
#include "hub/edge_data/edge_data_store.hpp"
#include "hub/core/session.hpp"

namespace edgehub::hub {

class Hub;

class EdgeUpload {
 public:
  EdgeUpload(Hub& hub, EdgeDataStore store, std::string device, data::FileId id, std::uint64_t size,
             std::string sha256_hex);
  ~EdgeUpload();
  EdgeUpload(const EdgeUpload&) = delete;
  EdgeUpload& operator=(const EdgeUpload&) = delete;

  // Opens the temporary; false (and the error sent) if that failed.
  bool open(Session& s);
  // The block sink: one call per "$N" block, "$0" (empty) ends.
  boost::asio::awaitable<void> on_block(Session& s, std::string_view block);

 private:
  void take(Session& s, std::string_view block);
  boost::asio::awaitable<void> finish(Session& s);
  void fail(Session& s, int code, const std::string& message);
  void discard_temp();

  Hub& hub_;
  const EdgeDataStore store_;
  std::string device_;
  data::FileId id_;
  std::uint64_t declared_size_;
  std::string declared_sha_;
  std::uint64_t received_ = 0;
  Sha256 sha_;
  data::StreamValidator validator_;
  std::filesystem::path temp_;
  int fd_ = -1;
  bool failed_ = false;
};

// "UED 7 SIZE SHA" with an error before any block: swallow blocks up to "$0".
BlockSink discard_blocks_until_end();

}  // namespace edgehub::hub
