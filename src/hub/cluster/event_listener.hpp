#pragma once
// The receiving side of the events between nodes
// (docs/CLUSTER.md#events-between-nodes): a LISTEN thread with a database
// connection of its own that waits for NOTIFY on edgehub_cluster and hands
// the other nodes' events to ClusterEvents, in the order PostgreSQL
// delivers them (each node's own in the order it sent them). Nothing else
// runs on this connection, so a slow renewal never delays an event.
//
// A live message for a device here is answered from this thread, on this
// connection, right after the batch it came in: the freshness check and
// the answer are then microseconds apart, and the answer never waits
// behind the CLUSTER thread's jobs (a login claim waiting on a row lock, a
// round) while the sender's node counts down to storing the message too
// (docs/CLUSTER.md#messages-across-nodes).
//
// After the connection is lost it connects again, LISTENs again and reads
// who is online on the other nodes from cluster_sessions, and what they
// announced to the swarm tracker, the blocks, which devices here have
// stored messages, and the broadcasts and failed logins it missed
// (event_log.hpp). Other events sent while it was away are lost; the
// snapshot stands in for those whose result the database holds.
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "hub/cluster/cluster.hpp"
#include "hub/cluster/cluster_notify.hpp"
#include "hub/cluster/event_log.hpp"
#include "store/postgres/pg_connection.hpp"

namespace edgehub::hub {

class EventListener {
 public:
  // Connects at once (throws if it cannot). Events whose node is self_id
  // are this node's own and are not passed on.
  EventListener(const std::string& database_url, std::string self_id, std::chrono::milliseconds retry_every);
  ~EventListener();
  EventListener(const EventListener&) = delete;
  EventListener& operator=(const EventListener&) = delete;

  // LISTENs and hands over the first snapshot before it returns (throws if
  // it cannot), then waits for events on its own thread.
  void start(ClusterEvents& events);
  void stop();

 private:
  void run();
  void listen_and_snapshot();
  void catch_up();
  void dispatch(const std::vector<std::string>& payloads);
  void live_message(const ClusterEvent& message);
  void send_answers();
  void hand_over_share(const ClusterEvent& event);
  // Waits until the socket is readable, stop() or retry_every_; false once stopped.
  bool wait_for_input(int socket);
  void pause_after_failure();

  const std::string self_;
  const std::chrono::milliseconds retry_every_;
  store::PgConnection db_;
  ClusterEvents* events_ = nullptr;
  int wake_fd_ = -1;  // an eventfd: stop() wakes the thread with it
  std::atomic<bool> stopping_{false};
  bool lost_ = false;                 // listener thread only: the connection failed (logged once)
  std::vector<std::string> answers_;  // listener thread only: encoded live answers for send_answers()
  MissedEvents missed_;               // listener thread (and start(), before it runs) only
  std::thread thread_;
};

}  // namespace edgehub::hub
