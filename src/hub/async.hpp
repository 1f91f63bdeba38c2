#pragma once
// Moving blocking work off the network threads: run_blocking runs f on the
// worker pool (argon2, disk) and resumes the caller on its own executor;
// run_in_store runs f(Store&) on the store thread inside a group commit and
// resumes the caller only once the commit is durable.
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <memory>
#include <type_traits>

#include "store/store_queue.hpp"

namespace edgehub::hub {

namespace asio = boost::asio;

template <typename F>
auto run_blocking(asio::thread_pool& pool, F f) -> asio::awaitable<std::invoke_result_t<F>> {
  using R = std::invoke_result_t<F>;
  co_return co_await asio::co_spawn(
      pool.get_executor(), [f = std::move(f)]() mutable -> asio::awaitable<R> { co_return f(); },
      asio::use_awaitable);
}

// R must be default-constructible (use void-returning f for writes).
template <typename F>
auto run_in_store(store::StoreQueue& queue, F f) -> asio::awaitable<std::invoke_result_t<F, store::Store&>> {
  using R = std::invoke_result_t<F, store::Store&>;
  using Result = std::conditional_t<std::is_void_v<R>, int, R>;
  auto result = std::make_shared<Result>();
  auto initiate = [&queue, result, f = std::move(f)](auto handler) mutable {
    auto shared_handler = std::make_shared<decltype(handler)>(std::move(handler));
    queue.submit(store::StoreQueue::Job{
        [result, f = std::move(f)](store::Store& s) mutable {
          if constexpr (std::is_void_v<R>) f(s);
          else *result = f(s);
        },
        [shared_handler](std::exception_ptr error) {
          auto ex = asio::get_associated_executor(*shared_handler);
          asio::post(ex, [shared_handler, error]() mutable { (*shared_handler)(error); });
        }});
  };
  co_await asio::async_initiate<decltype(asio::use_awaitable), void(std::exception_ptr)>(std::move(initiate),
                                                                                          asio::use_awaitable);
  if constexpr (!std::is_void_v<R>) co_return std::move(*result);
}

}  // namespace edgehub::hub
