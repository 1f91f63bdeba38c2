#include "hub/edge_data/edge_upload.hpp"

#include <fmt/format.h>

#include "common/strings.hpp"
#include "protocol/reply.hpp"

namespace edgehub::hub {

using protocol::StatusCode;

boost::asio::awaitable<bool> EdgeUpload::open(Session& s) {
  const auto failure = co_await intake_.open();
  if (!failure) co_return true;
  fail(s, *failure);
  co_return false;
}

void EdgeUpload::fail(Session& s, const EdgeFailure& failure) {
  if (failed_) return;
  failed_ = true;
  s.send(protocol::encode_err(failure.code, failure.message));
}

boost::asio::awaitable<void> EdgeUpload::on_block(Session& s, std::string_view block) {
  if (block.empty()) {
    s.end_block_sink();  // "$0": this upload is over either way (Hub::on_block holds a copy of the sink)
    if (digest_due())
      fail(s, {StatusCode::BadRequest, "the data ended without its SHA-256 block; nothing was stored"});
    else if (!failed_)
      co_await finish(s);
  } else if (!failed_) {
    if (digest_due())
      take_digest(s, block);
    else if (const auto failure = co_await intake_.take(block))
      fail(s, *failure);
  }
  if (failed_) co_await intake_.discard();
}

void EdgeUpload::take_digest(Session& s, std::string_view block) {
  digest_came_ = true;
  if (is_sha256_hex(block)) return intake_.expect_sha256(std::string(block));
  fail(s, {StatusCode::BadRequest, "the block after the data must be its SHA-256 in 64 lower-case hex digits"});
}

boost::asio::awaitable<void> EdgeUpload::finish(Session& s) {
  const EdgeStored stored = co_await intake_.finish();
  if (stored.failure) co_return fail(s, *stored.failure);
  s.send(protocol::encode_ok(
      fmt::format("file {} uploaded: {} values, {} bytes", intake_.id().str(), stored.stats.count, stored.bytes)));
}

BlockSink discard_blocks_until_end() {
  return [](Session& s, std::string_view block) -> boost::asio::awaitable<void> {
    if (block.empty()) s.end_block_sink();
    co_return;
  };
}

}  // namespace edgehub::hub
