#pragma once
// Hashes an edge-data upload and writes it to its temporary file on the
// worker pool, a few blocks behind the connection's thread
// (docs/EDGE_DATA.md#ued-on-the-wire). The connection's thread validates
// block N while a worker hashes and writes the blocks before, so an upload
// keeps both cores busy: all three on the network thread took 2.9 CPU-s per GB
// (validation 0.87, SHA-256 0.74, the page-cache copy 0.7, perf of a
// 1.04 GB UED), the one thread the upload ran on.
//
// A block is copied into a buffer of the spool (the connection's read
// buffer is reused for the next block) and queued; one worker at a time
// takes the queue in order. At most three blocks wait: the connection's
// thread then waits for room. An UploadWriter (upload_writer.hpp) writes it, past the page
// cache where it can. The file descriptor stays the caller's: it closes it only after
// drain(), or through after_jobs() when it cannot wait (a connection gone).
//
// Not thread-safe: one connection's coroutine calls it, one call at a time.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/sha256.hpp"

namespace edgehub::hub {

class EdgeSpool {
 public:
  EdgeSpool(boost::asio::thread_pool& workers, int fd);
  // The state goes on a worker: its writer may wait for a disk write.
  ~EdgeSpool();
  EdgeSpool(const EdgeSpool&) = delete;
  EdgeSpool& operator=(const EdgeSpool&) = delete;

  // Waits for room in the queue, then hands block to the worker. The errno
  // of a failed write of an earlier block, 0 if none (then nothing more is
  // written).
  boost::asio::awaitable<int> write(std::string_view block);
  // Waits until every block is hashed and written; then as write().
  boost::asio::awaitable<int> drain();
  // After the last block: writes what is still gathered (upload_writer.hpp)
  // and waits for it; then as write().
  boost::asio::awaitable<int> finish();
  // After drain(): the SHA-256 of every block.
  Sha256Digest digest();
  // Runs f on a worker once the job under way (if any) has ended, without
  // waiting: how the fd is closed when nobody can await drain().
  void after_jobs(std::function<void()> f);

 private:
  struct Shared;
  boost::asio::awaitable<void> wait_until_queued_at_most(std::size_t count);

  boost::asio::thread_pool& workers_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace edgehub::hub
