#pragma once
// The cluster's database calls as awaitables for command handlers: the
// job runs on the cluster thread, and the caller resumes on its own
// network thread (as run_in_store does, hub/core/async.hpp).
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <memory>
#include <type_traits>

#include "hub/cluster/cluster.hpp"
#include "hub/core/async.hpp"

namespace edgehub::hub {

// Arguments are references to the caller's named locals, never temporaries
// (GCC 12 and temporaries across a co_await: async.hpp).

// True if this node now holds the account cluster-wide; throws if the
// database could not say.
inline asio::awaitable<bool> claim_login(Cluster& cluster, const DeviceClaim& device) {
  auto initiate = [&cluster](auto handler, DeviceClaim claimed) {
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    cluster.claim(std::move(claimed), [shared](std::exception_ptr error, bool won) {
      detail::deliver<bool>(std::move(*shared), std::move(error), won);  // called once
    });
  };
  return asio::async_initiate<decltype(asio::use_awaitable), detail::ResultSignature<bool>>(
      std::move(initiate), asio::use_awaitable, DeviceClaim(device));
}

// Resumes once every job queued before has run: after Hub::end_login, the
// account's row is gone (or the attempt failed, which is logged).
inline asio::awaitable<void> queued_jobs_done(Cluster& cluster) {
  auto initiate = [&cluster](auto handler) {
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    cluster.after_queued([shared] { detail::deliver<void>(std::move(*shared), nullptr, 0); });
  };
  return asio::async_initiate<decltype(asio::use_awaitable), detail::ResultSignature<void>>(std::move(initiate),
                                                                                            asio::use_awaitable);
}

// How a job reaches the cluster thread (PostgresCluster's queue).
using ClusterJobs = std::function<void(std::function<void()>)>;

// Runs work() on the cluster thread, in its turn among the queued jobs, and
// resumes the caller on its own thread with the result (or work's
// exception). As run_blocking (async.hpp): a plain function taking work by
// forwarding reference; R must be default-constructible.
template <typename F>
auto on_cluster_thread(const ClusterJobs& jobs, F&& work) -> asio::awaitable<std::invoke_result_t<F>> {
  using Work = std::decay_t<F>;
  using R = std::invoke_result_t<F>;
  auto initiate = [&jobs](auto handler, Work job) {
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    jobs([shared, job = std::move(job)]() mutable { detail::run_and_deliver<R>(std::move(*shared), job); });
  };
  return asio::async_initiate<decltype(asio::use_awaitable), detail::ResultSignature<R>>(
      std::move(initiate), asio::use_awaitable, Work(std::forward<F>(work)));
}

}  // namespace edgehub::hub
