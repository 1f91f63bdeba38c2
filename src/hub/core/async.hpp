#pragma once
// Moving blocking work off the network threads: run_blocking runs f on the
// worker pool (argon2, disk) and resumes the caller on its own executor;
// run_in_store runs f(Store&) on the store thread inside a group commit and
// resumes the caller only once the commit is durable.
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <memory>
#include <type_traits>

#include "store/store_queue.hpp"

namespace edgehub::hub {

namespace asio = boost::asio;

namespace detail {
template <typename R>
struct ResultSignatureOf {
  using type = void(std::exception_ptr, R);
};
template <>
struct ResultSignatureOf<void> {
  using type = void(std::exception_ptr);
};
template <typename R>
using ResultSignature = typename ResultSignatureOf<R>::type;

template <typename R>
using ResultSlot = std::conditional_t<std::is_void_v<R>, int, R>;

// Hands a result (or exception) to handler on the handler's own executor,
// keeping that executor's work count up until it has run.
template <typename R, typename Handler>
void deliver(Handler handler, std::exception_ptr error, ResultSlot<R> result) {
  auto caller = asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked);
  // The error is moved, never copied: the thread that posts keeps no
  // reference to the exception, so only the caller's thread touches it
  // after the post (libstdc++'s exception_ptr counts are invisible to TSan).
  asio::post(caller, [handler = std::move(handler), error = std::move(error), result = std::move(result)]() mutable {
    if constexpr (std::is_void_v<R>)
      std::move(handler)(error);
    else
      std::move(handler)(error, std::move(result));
  });
}

// Runs work, then delivers its result.
template <typename R, typename Handler, typename Work>
void run_and_deliver(Handler handler, Work& work) {
  std::exception_ptr error;
  ResultSlot<R> result{};
  try {
    if constexpr (std::is_void_v<R>)
      work();
    else
      result = work();
  } catch (...) {
    error = std::current_exception();
  }
  deliver<R>(std::move(handler), std::move(error), std::move(result));
}
}  // namespace detail

// GCC 12 miscompiles some temporaries with non-trivial destructors that
// live across a co_await (destroyed twice). Both helpers are therefore
// plain functions (not coroutines) taking f by forwarding reference, and
// callers pass lambdas that capture by reference only ([&]); the awaiting
// coroutine's locals outlive the co_await anyway.
//
// The result goes straight to the caller's executor. (co_spawn onto the
// pool would post its completion back to the pool first, behind every job
// queued meanwhile: sixteen concurrent logins were all answered when the
// last one's argon2 finished, instead of each when its own did.)
// R must be default-constructible or void.
template <typename F>
auto run_blocking(asio::thread_pool& pool, F&& f) -> asio::awaitable<std::invoke_result_t<F>> {
  using Work = std::decay_t<F>;
  using R = std::invoke_result_t<F>;
  auto initiate = [&pool](auto handler, Work work) {
    asio::post(pool, [handler = std::move(handler), work = std::move(work)]() mutable {
      detail::run_and_deliver<R>(std::move(handler), work);
    });
  };
  return asio::async_initiate<decltype(asio::use_awaitable), detail::ResultSignature<R>>(
      std::move(initiate), asio::use_awaitable, Work(std::forward<F>(f)));
}

// R must be default-constructible or void.
template <typename F>
auto run_in_store(store::StoreQueue& queue, F&& f) -> asio::awaitable<std::invoke_result_t<F, store::Store&>> {
  using Work = std::decay_t<F>;
  using R = std::invoke_result_t<F, store::Store&>;
  auto initiate = [&queue](auto handler, Work work) {
    auto shared_handler = std::make_shared<decltype(handler)>(std::move(handler));
    auto result = std::make_shared<detail::ResultSlot<R>>();
    queue.submit(store::StoreQueue::Job{[result, work = std::move(work)](store::Store& s) mutable {
                                          if constexpr (std::is_void_v<R>)
                                            work(s);
                                          else
                                            *result = work(s);
                                        },
                                        [shared_handler, result](std::exception_ptr error) {
                                          detail::deliver<R>(std::move(*shared_handler), std::move(error),
                                                             std::move(*result));  // called once
                                        }});
  };
  return asio::async_initiate<decltype(asio::use_awaitable), detail::ResultSignature<R>>(
      std::move(initiate), asio::use_awaitable, Work(std::forward<F>(f)));
}

}  // namespace edgehub::hub
