#pragma once
// The threads that admit new connections to the device port
// (docs/SECURITY.md#admission-threads), so that nothing a stranger can make
// the server do before it knows who they are runs on a network thread:
// accept(2), a trusted proxy's PROXY header, the wait for the first byte,
// the refusals (plaintext from afar, the handshake caps) and the TLS
// handshake's cryptography (an X25519 key exchange and an ECDSA signature,
// about a millisecond). A connection that is admitted is handed to a
// network thread (round-robin) and greeted there.
//
// They run at the lowest priority a normal thread can have (nice 19, set
// per thread): a network thread that wakes is preferred to them, so a
// flood of connections or handshakes costs the logged-in devices little
// more than the cycles left over. The price: on a server whose cores are
// saturated, new connections wait longer (bounded by
// --tls-handshake-timeout for a handshake). The caps on handshakes
// (--max-tls-handshakes, --tls-handshake-rate) still apply. Not SCHED_IDLE,
// though it protected the devices' p99 as well or better: an idle-policy
// thread preempted while holding a lock a network thread then needs (its
// malloc arena, which the network thread takes to free the SSL the
// handshake made; AbuseLimits' mutex) waits behind every normal thread of
// the machine, and in 2 of 6 uncapped flood runs the devices' p99 went to
// 130-143 ms (docs/BENCHMARKS.md#admission-threads-6-december).
//
// One io_context that every admission thread runs; each connection being
// admitted is a strand of its own (net/server.cpp).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <thread>
#include <vector>

namespace edgehub::net {

class AdmissionThreads {
 public:
  // The niceness of the admission threads.
  static constexpr int kNice = 19;

  explicit AdmissionThreads(std::size_t threads);
  ~AdmissionThreads();  // stop() and join()
  AdmissionThreads(const AdmissionThreads&) = delete;
  AdmissionThreads& operator=(const AdmissionThreads&) = delete;

  boost::asio::io_context& context() { return context_; }
  // Starts the threads (they inherit the caller's signal mask).
  void start();
  // Connections not yet admitted are dropped: their sockets close.
  void stop();
  void join();

 private:
  void run();

  std::size_t count_;
  boost::asio::io_context context_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::vector<std::thread> threads_;
};

}  // namespace edgehub::net
