#pragma once
// The worker pool runs what must not block a network thread: argon2
// verifications, the device log's rewrites, file and disk work. Its threads
// are named "worker" so that a per-thread CPU breakdown (top -H,
// /proc/PID/task/*/comm) tells them from the network threads.
//
// They keep the normal priority. Nice 10 was measured and gave nothing: in a
// 10,000-login storm with a cheap argon2 the workers are ~40 % busy, and the
// logged-in devices' p99 stayed where it was (docs/BENCHMARKS.md#latency-during-a-login-storm).
#include <boost/asio/thread_pool.hpp>
#include <cstddef>

namespace edgehub::app {

// Names each of the pool's `threads` threads; returns once all are named.
void name_worker_threads(boost::asio::thread_pool& pool, std::size_t threads);

}  // namespace edgehub::app
