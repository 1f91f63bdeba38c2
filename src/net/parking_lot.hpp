#pragma once
// Idle connections leave Asio (docs/ARCHITECTURE.md#parked-connections).
// A socket that Asio watches costs about 300 bytes of heap while its device
// is idle: the reactor's descriptor state (~176 B) and the pending wait
// operation (~128 B), against a goal of 700 B per idle device
// (docs/BENCHMARKS.md#memory-per-device). Most devices of a hub are idle
// most of the time, so a connection that has waited for input through a
// whole sweep interval is parked: its descriptor is released from Asio and
// watched in this network thread's own epoll set, whose one descriptor Asio
// watches instead. Input on it, or anything the server must write or close,
// gives the descriptor back to Asio first (Connection::unpark).
//
// One lot per io_context (an Asio service), used only on the thread that
// runs that io_context. The interval is set once by Server (`--park-idle`);
// a lot nobody configured never parks anything.
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <vector>

namespace edgehub::net {

namespace asio = boost::asio;
class Connection;

class ParkingLot : public asio::execution_context::service {
 public:
  using key_type = ParkingLot;
  static inline asio::execution_context::id id;

  // context must be an io_context (the lot's timer and watch run on it).
  explicit ParkingLot(asio::execution_context& context);
  ~ParkingLot() override;
  ParkingLot(const ParkingLot&) = delete;
  ParkingLot& operator=(const ParkingLot&) = delete;

  // The lot of the io_context that runs this executor.
  static ParkingLot& of(const asio::io_context::executor_type& executor);

  // Parks connections idle through a whole `interval` from now on
  // (zero: never). Called by Server before the io_context runs.
  void enable(std::chrono::milliseconds interval);
  bool enabled() const { return interval_.count() > 0; }

  // The connection waits for input: a candidate for the next sweeps, which
  // park it if it is still waiting, untouched, by then.
  void watch(const std::shared_ptr<Connection>& connection);
  // Takes over fd, released from Asio by a parking connection (true), or
  // refuses (false: the connection keeps its socket).
  bool hold(int fd, std::shared_ptr<Connection> connection);
  // Gives fd back: out of the epoll set, the lot's reference returned.
  std::shared_ptr<Connection> release(int fd);

 private:
  void shutdown() override;
  void schedule_sweep();
  void sweep();
  void sweep_from(std::size_t next);
  void wait_for_input();
  void wake_parked();

  asio::io_context& context_;
  std::chrono::milliseconds interval_{0};
  int epoll_fd_ = -1;
  std::unique_ptr<asio::posix::stream_descriptor> watch_;  // epoll_fd_, as Asio sees it
  std::unique_ptr<asio::steady_timer> sweep_timer_;
  std::vector<std::weak_ptr<Connection>> candidates_;
  std::vector<std::weak_ptr<Connection>> sweeping_;  // this round's, taken from candidates_
  std::vector<std::shared_ptr<Connection>> by_fd_;   // the parked, indexed by descriptor
  bool stopped_ = false;
};

}  // namespace edgehub::net
