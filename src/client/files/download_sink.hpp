#pragma once
// The receiving end of a get (docs/FILES.md, "Downloads"). Block payloads
// land in 1 MiB slabs on the link's I/O thread; a writer thread writes each
// full slab to the part file while a hasher thread hashes it, both in
// order, and the slab is reused once both are done. Three threads, because
// receiving, writing and SHA-256 each cost about as much CPU: on two cores
// any two of them on one thread would be the bottleneck. A fixed set of
// slabs is all the memory a download uses, however fast the network or slow
// the disk and the hash: when every slab is taken, room() waits, the socket
// is not read and TCP slows the server down.
//
// Created before the request goes out (the first bytes may arrive before
// the reply has been read), it holds them back until start() says where
// they go, or discard() says they are not wanted.
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "client/files/download_block_sink.hpp"
#include "common/sha256.hpp"

namespace edgehub::client {

class DownloadSink final : public DownloadBlockSink {
 public:
  DownloadSink();
  ~DownloadSink() override;
  DownloadSink(const DownloadSink&) = delete;
  DownloadSink& operator=(const DownloadSink&) = delete;

  // Command thread. fd: the part, positioned at its end; prefix: the hash
  // of what it already holds; expected: the bytes still to come, beyond
  // which anything received is dropped (but counted in window marks).
  void start(int fd, Sha256 prefix, std::uint64_t expected);
  // From now on every byte is dropped (a failed or refused get).
  void discard();
  std::uint64_t written() const { return written_.load(std::memory_order_acquire); }
  // Waits until `bytes` have been written, or nothing more is going to be;
  // true in the first case.
  bool wait_written(std::uint64_t bytes);
  // For each "$0", in order: how many bytes had arrived before it (since
  // start, dropped ones included). nullopt if no "$0" is waiting.
  std::optional<std::uint64_t> take_window_mark();
  std::optional<std::string> write_error() const;
  // Waits for everything queued to be written and hashed; hex digest. Once.
  std::string finish();

  // I/O thread (DownloadBlockSink).
  std::span<char> room(std::size_t want) override;
  void filled(std::size_t n) override;
  void block_end() override;
  void window_end() override;

 private:
  struct Slab {
    std::unique_ptr<char[]> bytes;
    std::size_t used = 0;
    int pending = 0;  // of the writer and the hasher, those not done with it
  };
  enum class State { Waiting, Writing, Discarding };

  void submit();
  void done_with(Slab* slab);  // with mutex_ held
  void write_slabs();
  void hash_slabs();
  void serve(std::deque<Slab*>& queue, bool& busy, const std::function<std::string(const Slab&)>& work);

  std::vector<Slab> slabs_;
  std::vector<char> scratch_;  // where discarded bytes go
  Sha256 hash_;                // the hash thread's, once started
  int fd_ = -1;
  std::uint64_t allowed_ = 0;  // I/O thread: bytes it may still accept
  Slab* current_ = nullptr;    // I/O thread: the slab being filled
  bool into_scratch_ = false;  // I/O thread: the last room was scratch_
  std::uint64_t offered_ = 0;  // I/O thread: bytes given to filled()
  std::atomic<std::uint64_t> written_{0};

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  State state_ = State::Waiting;
  std::deque<std::uint64_t> window_marks_;
  std::string write_error_;
  std::vector<Slab*> free_;
  std::deque<Slab*> to_write_;
  std::deque<Slab*> to_hash_;
  bool writing_slab_ = false;  // the writer holds a slab it took from to_write_
  bool hashing_slab_ = false;
  bool finishing_ = false;
  // Last: they start once the rest is ready.
  std::thread writer_;
  std::thread hasher_;
};

}  // namespace edgehub::client
