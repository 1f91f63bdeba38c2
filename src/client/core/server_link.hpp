#pragma once
// The client's connection to edgehubd, read on an I/O thread. Events go to
// the event handler on that thread; replies (and data blocks) queue up for
// the command thread, which waits for them in order. Thread-safe.
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "client/core/link_stream.hpp"
#include "client/core/tls_client.hpp"
#include "client/files/download_block_sink.hpp"
#include "protocol/server_message.hpp"

namespace edgehub::client {

class ServerLink {
 public:
  using EventHandler = std::function<void(const protocol::ServerMessage&)>;

  explicit ServerLink(boost::asio::io_context& io)
      : io_(io),
        tls_(std::make_shared<TlsClient>(
            TlsClientOptions{.plain = true, .insecure = false, .fingerprint = std::nullopt, .cert = {}, .key = {}})) {}
  // How the connections to come are secured (client/core/tls_client.hpp);
  // plaintext until set.
  void set_tls(std::shared_ptr<TlsClient> tls) { tls_ = std::move(tls); }

  // Resolves, connects and runs the TLS handshake (blocking); then reads on
  // the io_context.
  // Throws std::runtime_error with a readable message on failure.
  void connect(const std::string& host, std::uint16_t port);
  // After the connection closed: a new one to host, in place of the old
  // (docs/CLIENT.md#when-the-server-goes-away). Replies and events of the
  // old one are dropped. Call from the command thread while the I/O thread
  // runs; throws like connect().
  void reconnect(const std::string& host, std::uint16_t port);
  void set_event_handler(EventHandler handler) { on_event_ = std::move(handler); }

  void send_line(std::string line);    // appends "\n"
  void send_bytes(std::string bytes);  // raw frames ($N blocks)
  // Blocks the calling thread while more than max_unsent bytes are waiting
  // to be written, so a large upload streams instead of filling memory.
  // False if the connection closed.
  bool wait_unsent_below(std::size_t max_unsent);
  // A reply that has already arrived, without waiting (e.g. an early error
  // during an upload).
  std::optional<protocol::ServerMessage> poll_reply();
  // The next reply or block; nullopt once the connection is closed.
  std::optional<protocol::ServerMessage> next_reply();
  // Waits up to `timeout` for a reply (or the connection's end); true if
  // next_reply() would now return at once.
  bool wait_for_reply(std::chrono::milliseconds timeout);
  // While a sink is set, the payload of every "$N" block (N > 0) goes to
  // it, read straight from the socket (files/download_block_sink.hpp); "$0" still comes as
  // a reply. Set it before sending the requests whose blocks it takes.
  // Cleared (nullptr), it is let go once a block it is receiving ends.
  void set_block_sink(std::shared_ptr<DownloadBlockSink> sink);
  // send_line + next_reply, during a turn of its own; throws
  // std::runtime_error if the server hung up.
  protocol::ServerMessage request(std::string line);
  // One conversation with the server at a time: replies come in order, so
  // whoever sends a request must be the one to take its reply. The command
  // thread holds a turn for each command it runs; background work (the
  // swarm's tracker requests, client/p2p/swarm_tracker_link.hpp) waits for
  // its own. Recursive: request() inside a turn is part of it.
  std::unique_lock<std::recursive_mutex> take_turn();
  // For long background work that holds a turn (a background get): whether
  // another thread waits for one, and giving it way. yield_turn unlocks
  // turn, waits until a waiting thread got its turn (or the connection
  // closed), and takes it back when that one is done.
  bool turn_wanted() const { return turn_waiters_.load() > 0; }
  void yield_turn(std::unique_lock<std::recursive_mutex>& turn);
  // The command thread is done with every reply it took (it is back at
  // the prompt): events held behind them are shown now. Coming back for a
  // reply (next_reply, poll_reply, wait_for_reply) says the same of the
  // replies taken before.
  void replies_handled();
  void close();

  bool is_closed() const;
  std::string local_address() const;
  // Over TLS, or to a loopback address: where a resume token may be sent
  // (docs/SECURITY.md#tls).
  bool private_path() const { return private_path_.load(); }

 private:
  boost::asio::ip::tcp::socket open_socket(const std::string& host, std::uint16_t port);
  std::unique_ptr<LinkStream> open_stream(const std::string& host, std::uint16_t port);
  void adopt(std::unique_ptr<LinkStream> fresh);
  void start_read();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  void process_buffered();
  void dispatch(protocol::ServerMessage message);
  bool stream_block(std::size_t size);
  void read_payload(std::size_t remaining);
  std::shared_ptr<DownloadBlockSink> block_sink() const;
  void mark_closed(const std::string& why);
  void write_front();
  std::optional<protocol::ServerMessage> take_reply();  // with mutex_ held
  bool hold_event(protocol::ServerMessage& message);
  void finish_taken_replies(bool all);  // with mutex_ held
  void show_released_events();

  boost::asio::io_context& io_;
  std::shared_ptr<TlsClient> tls_;
  std::unique_ptr<LinkStream> stream_;  // I/O thread, once connected
  // The connection before the last reconnect: its cancelled operations may
  // still be completing when it is replaced (I/O thread).
  std::unique_ptr<LinkStream> retired_;
  std::atomic<bool> private_path_{false};
  EventHandler on_event_;
  protocol::ServerMessageParser parser_;
  std::array<char, 64 * 1024> read_buffer_{};
  std::shared_ptr<DownloadBlockSink> streaming_to_;  // I/O thread: the sink of the block being read
  std::deque<std::shared_ptr<std::string>> outbox_;  // I/O thread only
  // Which connection the I/O thread's handlers belong to; each reconnect
  // starts a new one. I/O thread only.
  std::uint64_t generation_ = 0;

  std::recursive_mutex turn_;
  std::atomic<int> turn_waiters_{0};
  std::uint64_t turns_granted_ = 0;  // guarded by mutex_
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<protocol::ServerMessage> replies_;
  bool closed_ = false;
  std::size_t unsent_bytes_ = 0;             // guarded by mutex_
  std::shared_ptr<DownloadBlockSink> sink_;  // guarded by mutex_
  // Events that arrived behind a reply the command thread has not finished
  // with wait for it, so the screen keeps the server's order ("Welcome"
  // before the messages stored for you). Guarded by mutex_.
  struct HeldEvent {
    protocol::ServerMessage message;
    std::uint64_t after;  // replies queued before it
  };
  std::deque<HeldEvent> held_events_;
  std::uint64_t replies_queued_ = 0;    // ever
  std::uint64_t replies_taken_ = 0;     // by the command thread
  std::uint64_t replies_finished_ = 0;  // taken and done with
};

}  // namespace edgehub::client
