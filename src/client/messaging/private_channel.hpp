#pragma once
// One open private session: a TCP connection straight to the other device
// (private_wire.hpp). Reads and writes happen on the client's I/O thread;
// write_line and finish may be called from any thread.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <string>

namespace edgehub::client {

class PrivateChannel : public std::enable_shared_from_this<PrivateChannel> {
 public:
  using OnText = std::function<void(const std::string& peer, std::string_view text)>;
  // Called once when the peer ends the session or the connection fails
  // (not after finish or abandon).
  using OnClosed = std::function<void(const std::shared_ptr<PrivateChannel>&)>;

  // leftover: bytes already read after the handshake line.
  PrivateChannel(boost::asio::ip::tcp::socket socket, std::string peer, std::string leftover);

  const std::string& peer() const { return peer_; }
  void start(OnText on_text, OnClosed on_closed);  // I/O thread
  void write_line(std::string line);               // queues "line\n"
  // Sends BYE after what is queued, then closes; done() runs once closed.
  void finish(std::function<void()> done);
  void abandon();  // closes at once, silently (I/O thread)

 private:
  boost::asio::awaitable<void> read_loop(std::shared_ptr<PrivateChannel> self);
  void on_line(std::string_view line);
  void enqueue(std::string bytes);
  void write_front();
  void close_socket();

  boost::asio::ip::tcp::socket socket_;
  const std::string peer_;
  std::string input_;
  std::deque<std::string> outbox_;
  OnText on_text_;
  OnClosed on_closed_;
  std::function<void()> finished_;  // set by finish(): close once the outbox is empty
  bool closed_ = false;
  bool silent_ = false;  // closed by us: do not report
};

}  // namespace edgehub::client
