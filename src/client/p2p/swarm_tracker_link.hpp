#pragma once
// The swarm's background conversation with the tracker
// (docs/SWARM.md#5-downloader-and-seeder): a download asks `swarmpeers`
// every 2 s and announces verified chunks with `have`; a seeder withdraws a
// file that changed. Those requests run here, on a thread of their own, each
// in a turn of the server connection (ServerLink::take_turn), so they never
// take a reply meant for the command the person typed, and the I/O thread
// never waits for the server. Jobs run in order.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "protocol/server_message.hpp"

namespace edgehub::client {
class ServerLink;
}

namespace edgehub::client::swarm {

class TrackerLink {
 public:
  // The reply, or nullopt if the connection is gone.
  using Reply = std::optional<protocol::ServerMessage>;
  using Done = std::function<void(Reply)>;

  explicit TrackerLink(ServerLink& link);
  ~TrackerLink();
  TrackerLink(const TrackerLink&) = delete;
  TrackerLink& operator=(const TrackerLink&) = delete;

  // Sends line in a turn of its own and calls done (if set) with the reply,
  // on this link's thread: done posts to the I/O thread what it must.
  void ask(std::string line, Done done = {});
  // Waits until every job asked so far has run.
  void drain();
  // Drops what has not run yet and ends the thread.
  void stop();

 private:
  struct Job {
    std::string line;
    Done done;
  };
  void run();

  ServerLink& link_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Job> jobs_;
  bool busy_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace edgehub::client::swarm
