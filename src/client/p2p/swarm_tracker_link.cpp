#include "client/p2p/swarm_tracker_link.hpp"

#include "client/core/server_link.hpp"

namespace edgehub::client::swarm {

TrackerLink::TrackerLink(ServerLink& link) : link_(link), thread_([this] { run(); }) {}

TrackerLink::~TrackerLink() { stop(); }

void TrackerLink::ask(std::string line, Done done) {
  std::lock_guard lock(mutex_);
  if (stopping_) return;
  jobs_.push_back(Job{std::move(line), std::move(done)});
  changed_.notify_all();
}

void TrackerLink::drain() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return (jobs_.empty() && !busy_) || stopping_; });
}

void TrackerLink::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    jobs_.clear();
    changed_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void TrackerLink::run() {
  for (;;) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !jobs_.empty() || stopping_; });
    if (stopping_) return;
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    busy_ = true;
    lock.unlock();
    Reply reply;
    if (!link_.is_closed()) {
      const auto turn = link_.take_turn();
      link_.send_line(job.line);
      reply = link_.next_reply();
      link_.replies_handled();  // events that came behind it show now
    }
    if (job.done) job.done(std::move(reply));
    lock.lock();
    busy_ = false;
    changed_.notify_all();
  }
}

}  // namespace edgehub::client::swarm
