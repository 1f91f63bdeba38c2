#pragma once
// Admission to password verification (docs/PROTOCOL.md#5-logging-in). An
// argon2id check costs tens of milliseconds of a worker, so a flood of wrong
// logins used to queue in the worker pool's FIFO and delay everybody's
// login by seconds (issue 14: 100 connections pipelining 30 wrong logins
// each delayed a real login by 11-19 s). The gate bounds verifications in
// progress, in total and per remote address, and when one ends it lets the
// next address in round-robin order go, so one address's queue, however long,
// delays another address by at most the verifications already running.
// (A connection has at most one login in flight anyway: it reads its next
// command only when the previous one is answered.)
//
// Thread-safe; waiters resume on their own executor.
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "hub/core/async.hpp"

namespace edgehub::hub {

class LoginGate {
 public:
  LoginGate(std::size_t slots, std::size_t per_address) : slots_(slots), per_address_(per_address) {}

  // Completes once address may verify one password; the caller must then
  // call leave(address) exactly once (LoginGate::Slot does).
  auto enter(const std::string& address) {
    auto initiate = [this, address](auto handler) {
      auto shared = std::make_shared<decltype(handler)>(std::move(handler));
      // The grant resumes the caller on its own executor (hub/core/async.hpp); runs once.
      admit_or_queue(address, [shared] { detail::deliver<void>(std::move(*shared), nullptr, 0); });
    };
    return boost::asio::async_initiate<decltype(boost::asio::use_awaitable), detail::ResultSignature<void>>(
        std::move(initiate), boost::asio::use_awaitable);
  }
  void leave(const std::string& address);

  // Runs work on pool once address's turn comes and hands its result to the
  // caller's executor, like run_blocking. This is how logins verify: the
  // slot is taken as the work is posted to the pool and given back on the
  // worker as soon as the work returns, so the next grant posts its work
  // from there and the pool never idles while verifications queue. (Held
  // from enter() to the end of the caller's turn, a slot spanned three hops
  // through the network threads' queues, and a 19,500-login storm with a
  // cheap argon2 ran at ~1,000 logins/s, docs/BENCHMARKS.md#hub-connections-and-logins.)
  template <typename F>
  auto run(asio::thread_pool& pool, const std::string& address, F&& f) -> asio::awaitable<std::invoke_result_t<F>> {
    using Work = std::decay_t<F>;
    using R = std::invoke_result_t<F>;
    auto initiate = [this, &pool, address](auto handler, Work work) {
      auto job = std::make_shared<std::pair<decltype(handler), Work>>(std::move(handler), std::move(work));
      admit_or_queue(address, [this, &pool, address, job] {
        asio::post(pool, [this, address, job] {
          auto work_then_leave = [&]() -> R {
            const Slot slot(*this, address);  // left before the result is delivered
            return job->second();
          };
          detail::run_and_deliver<R>(std::move(job->first), work_then_leave);
        });
      });
    };
    return asio::async_initiate<decltype(asio::use_awaitable), detail::ResultSignature<R>>(
        std::move(initiate), asio::use_awaitable, Work(std::forward<F>(f)));
  }

  // Holds an entered slot; leaves on destruction.
  class Slot {
   public:
    Slot(LoginGate& gate, std::string address) : gate_(gate), address_(std::move(address)) {}
    ~Slot() { gate_.leave(address_); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    LoginGate& gate_;
    std::string address_;
  };

 private:
  struct Address {
    std::size_t running = 0;
    std::deque<std::function<void()>> waiting;  // grants, in arrival order
  };
  void admit_or_queue(const std::string& address, std::function<void()> grant);
  // Grants waiting addresses in round-robin order while slots allow; returns
  // the grants to call once the lock is released.
  std::vector<std::function<void()>> dispatch();

  const std::size_t slots_;
  const std::size_t per_address_;
  std::mutex mutex_;
  std::size_t running_ = 0;
  std::unordered_map<std::string, Address> addresses_;  // with a verification running or waiting
  std::deque<std::string> turns_;                       // addresses with waiters, next turn first
};

}  // namespace edgehub::hub
