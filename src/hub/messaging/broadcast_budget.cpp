#include "hub/messaging/broadcast_budget.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace edgehub::hub {

namespace asio = boost::asio;

void BroadcastBudget::release(std::size_t bytes) {
  const std::size_t before = in_flight_.fetch_sub(bytes);
  if (before < limit_ || before - bytes >= limit_) return;  // did not cross the limit
  std::lock_guard lock(mutex_);
  // The timer belongs to the sender's thread: cancel it there.
  if (waiter_) asio::post(waiter_->get_executor(), [timer = waiter_] { timer->cancel(); });
}

asio::awaitable<bool> BroadcastBudget::wait_below(std::chrono::milliseconds ceiling) {
  if (!over()) co_return false;
  auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor, ceiling);
  {
    // Registered, then checked again: a release between the first check
    // and here finds the timer, one before it is seen by this check.
    std::lock_guard lock(mutex_);
    waiter_ = timer;
  }
  if (over()) {
    boost::system::error_code ignored;  // cancelled: under the limit again
    co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  std::lock_guard lock(mutex_);
  waiter_.reset();
  co_return true;
}

}  // namespace edgehub::hub
