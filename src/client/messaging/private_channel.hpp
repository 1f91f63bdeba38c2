#pragma once
// One open private session: a TCP connection straight to the other device
// (private_wire.hpp), every line an encrypted record (private_records.hpp).
// Reads and writes happen on the client's I/O thread; write_line and finish
// may be called from any thread.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "client/messaging/private_records.hpp"

namespace edgehub::client {

class PrivateChannel : public std::enable_shared_from_this<PrivateChannel> {
 public:
  using OnText = std::function<void(const std::string& peer, std::string_view text)>;
  // Called once when the peer ends the session or the connection fails
  // (not after finish or abandon). why is empty for an orderly end, else
  // the sentence to show (a record that failed to open, on either side).
  using OnClosed = std::function<void(const std::shared_ptr<PrivateChannel>&, const std::string& why)>;

  // leftover: bytes already read after the handshake.
  PrivateChannel(boost::asio::ip::tcp::socket socket, std::string peer, PrivateCipher cipher, std::string leftover);

  const std::string& peer() const { return peer_; }
  // The session's short authentication string (fixed at the handshake).
  const std::string& sas() const { return sas_; }
  void start(OnText on_text, OnClosed on_closed);  // I/O thread
  void write_line(std::string line);               // queues one record
  // Sends BYE after what is queued, then closes; done() runs once closed.
  void finish(std::function<void()> done);
  void abandon();  // closes at once, silently (I/O thread)

 private:
  boost::asio::awaitable<void> read_loop(std::shared_ptr<PrivateChannel> self);
  // Why the session ends, or nullopt to go on.
  std::optional<std::string> on_line(std::string_view line);
  std::string rejected(const std::string& what);
  void enqueue(std::string line);
  void write_front();
  void close_socket();

  boost::asio::ip::tcp::socket socket_;
  const std::string peer_;
  PrivateCipher cipher_;
  const std::string sas_;
  std::string input_;
  std::deque<std::string> outbox_;  // sealed records
  OnText on_text_;
  OnClosed on_closed_;
  std::function<void()> finished_;  // set by finish(): close once the outbox is empty
  bool closed_ = false;
  bool silent_ = false;  // closed by us: do not report
};

}  // namespace edgehub::client
