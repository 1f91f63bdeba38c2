#pragma once
// One UED upload in progress: receives the "$N" blocks that follow
//   UED FILEID SIZE SHA256
// or, the digest after the data so that the client reads the file once,
// hashing as it sends (docs/EDGE_DATA.md#ued-on-the-wire),
//   UED FILEID SIZE -
// (SIZE bytes of blocks, then a block of the 64 hex digits), and hands
// them to an EdgeIntake (edge_intake.hpp: validation, hashing,
// the temporary file and the atomic install, shared with the HTTP upload).
// The command gets exactly one reply: an error as soon as something is
// wrong (the rest of the blocks, up to "$0", are then discarded), or the
// result once "$0" ends the stream and the file is installed.
// Lives on its connection's thread.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "hub/core/session.hpp"
#include "hub/edge_data/edge_intake.hpp"

namespace edgehub::hub {

// The SHA256 argument that says the digest follows the data.
inline constexpr std::string_view kDigestFollows = "-";

class EdgeUpload {
 public:
  EdgeUpload(Hub& hub, std::string device, data::FileId id, std::uint64_t size, const std::string& sha256_hex)
      : intake_(hub, std::move(device), id, size, sha256_hex == kDigestFollows ? std::string() : sha256_hex),
        size_(size),
        digest_follows_(sha256_hex == kDigestFollows) {}

  // Creates the temporary; false (and the error sent) if that failed.
  boost::asio::awaitable<bool> open(Session& s);
  // The block sink: one call per "$N" block, "$0" (empty) ends.
  boost::asio::awaitable<void> on_block(Session& s, std::string_view block);

 private:
  boost::asio::awaitable<void> finish(Session& s);
  // With "-": true once SIZE bytes came and the digest block not yet.
  void take_digest(Session& s, std::string_view block);
  bool digest_due() const { return digest_follows_ && !digest_came_ && intake_.received() == size_; }
  // Sends the one error reply; the caller then awaits intake_.discard().
  void fail(Session& s, const EdgeFailure& failure);

  EdgeIntake intake_;
  const std::uint64_t size_;
  const bool digest_follows_;
  bool digest_came_ = false;
  bool failed_ = false;
};

// "UED 7 SIZE SHA" with an error before any block: swallow blocks up to "$0".
BlockSink discard_blocks_until_end();

}  // namespace edgehub::hub
