#pragma once
// One client connection over plain TCP: implements hub::Peer. All of its
// state is touched only on its io_context's single thread; send() and
// close_after_flush() from other threads are posted there. TlsConnection
// (net/tls_connection.hpp) derives from it and replaces only the byte
// transport: read_bytes, write_frames, stream_region, close_transport.
//
// Memory: an idle connection owns no read buffer (bytes are read into a
// per-thread buffer and only an unfinished frame is kept) and no write
// buffer (frames are shared_ptrs to encoded bytes, freed once written).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/metrics/catalog.hpp"
#include "hub/core/hub.hpp"
#include "hub/core/peer.hpp"
#include "hub/core/session.hpp"

namespace edgehub::net {

namespace asio = boost::asio;
class ParkingLot;

class Connection : public hub::Peer, public std::enable_shared_from_this<Connection> {
 public:
  // Typed on io_context's executor, not any_io_executor: 48 bytes less in
  // every connection and in every pending operation (docs/BENCHMARKS.md).
  using Socket = asio::basic_stream_socket<asio::ip::tcp, asio::io_context::executor_type>;

  // remote_ip: the address the hub sees (address_text: the socket's, or the
  // client's from a trusted proxy's PROXY header, net/proxy_reader.hpp).
  Connection(asio::ip::tcp::socket socket, hub::Hub& hub, std::size_t high_water, std::string remote_ip);
  // A socket already on its io_context's executor (net/detached_socket.hpp).
  Connection(Socket socket, hub::Hub& hub, std::size_t high_water, std::string remote_ip);
  ~Connection() override;

  // Greets the client (Hub::on_connect) and starts reading (a TLS
  // connection's handshake is over by then: net/tls_handshake.hpp).
  virtual void start();
  // The first-byte sniffer greeted this loopback client in plaintext after
  // its silence (net/first_byte.cpp): if its first byte is then a TLS
  // handshake record, it was a slow TLS client, and it is closed with a log
  // line instead of being answered in plaintext (docs/SECURITY.md#tls).
  void greeted_on_silence() { greeted_on_silence_ = true; }

  void send(hub::SharedBytes bytes) override;
  void send_letter(hub::LetterPtr letter) override;
  void send_file(hub::FileRegion region, hub::FileSent done) override;  // connection_file.cpp
  void close_after_flush() override;
  const std::string& remote_ip() const override { return ip_; }
  // Asio's get_executor() is not const, though it only copies a handle.
  bool on_own_thread() const override { return const_cast<Socket&>(socket_).get_executor().running_in_this_thread(); }

  // Parking (net/parking_lot.hpp), on the connection's own thread. sweep:
  // parks the connection if it waited for input, untouched, since the last
  // sweep; returns whether it stays a candidate. unpark: the lot gives the
  // descriptor back (readable: input came, read it now).
  bool sweep(ParkingLot& lot);
  void unpark(int fd, bool readable);

 protected:
  // The file path (connection_file.cpp). A file region waits in queue_ as a
  // marker frame of zero bytes, its details in files_, so frames queued
  // before it go first and frames queued after it wait for it.
  class FileSend {
   public:
    FileSend(hub::FileRegion r, hub::FileSent done) : region(std::move(r)), done_(std::move(done)) {}
    ~FileSend() { report(false); }  // dropped unsent: the connection is gone
    FileSend(const FileSend&) = delete;
    FileSend& operator=(const FileSend&) = delete;
    void report(bool complete);
    hub::FileRegion region;
    std::uint64_t sent = 0;

   private:
    hub::FileSent done_;
  };

  // Letters (messages) not yet known to be written, with the index of their
  // frame in this connection's output stream (UINT64_MAX: refused).
  struct PendingLetter {
    std::uint64_t frame;
    hub::LetterPtr letter;
  };
  // What only a connection with something in progress holds: made by its
  // first output or input, freed when nothing is in progress
  // (release_busy_if_done), so that an idle device does not carry ~140
  // bytes of empty queues (docs/BENCHMARKS.md#memory-per-device).
  struct Busy {
    std::vector<hub::SharedBytes> queue;  // frames not yet fully written
    std::string input;                    // an unfinished frame, usually empty
    std::size_t in_flight = 0;            // frames at the front being written
    std::size_t queued_bytes = 0;
    // A list, not a deque: libstdc++'s deque allocates ~576 bytes even when
    // empty, and most connections never hold a letter.
    std::list<PendingLetter> letters;
    std::uint64_t frames_queued = 0;                     // frames queued since the block was made
    std::uint64_t frames_written = 0;                    // of which fully written to the socket
    std::unique_ptr<asio::steady_timer> flush_deadline;  // only while closing
    std::list<FileSend> files;  // file regions queued, in order; the front one may be streaming
  };
  Busy& busy() {
    if (!busy_) busy_ = std::make_unique<Busy>();
    return *busy_;
  }

  // The byte transport, overridden by TlsConnection. read_bytes is
  // non-blocking: would_block when nothing is there (wait_for_ tells which
  // readiness to wait for then).
  virtual std::size_t read_bytes(char* data, std::size_t size, boost::system::error_code& ec);
  // Writes queue_'s first `count` frames, then calls on_written.
  virtual void write_frames(std::size_t count);
  virtual asio::awaitable<boost::system::error_code> stream_region(FileSend& job);
  virtual void close_transport();
  // Whether a read that returned less than asked for emptied the socket:
  // true for plain TCP; not for TLS, whose library may hold records back.
  virtual bool short_read_drains() const { return true; }
  void prepare_socket();
  // Moves this connection to another series of edgehub_connections
  // (TlsConnection's constructor: docs/METRICS.md#every-metric).
  void count_as(metrics::Transport transport);
  void on_written(const boost::system::error_code& ec, std::size_t written);
  asio::awaitable<boost::system::error_code> wait_ready(asio::socket_base::wait_type what);

 private:
  static Socket adopt(asio::ip::tcp::socket socket);
  void wait_readable();
  bool idle() const;           // nothing to read, write or close: may be parked
  bool park(ParkingLot& lot);  // false: not parked, still waiting in Asio
  void ensure_unparked();      // before the socket is written to or closed
  // Reads and handles input until would-block (then waits again, returning)
  // or the end of the connection (then logs the device out).
  asio::awaitable<void> read_loop(std::shared_ptr<Connection> self, bool readable);
  enum class ReadResult { Data, Drained, WouldBlock, Closed };  // Drained: data, and the socket is empty
  ReadResult read_available();
  asio::awaitable<bool> process_input();  // false: stop reading
  bool enqueue(hub::SharedBytes bytes);   // false: not queued (closed, past high water or --max-queued-bytes)
  void push(hub::SharedBytes bytes);      // queues without a check
  bool refuse_output();                   // past --max-queued-bytes: says so and closes; false
  void drop_unwritten();                  // frames not being written, for refuse_output
  void enqueue_letter(hub::LetterPtr letter);
  void settle_letters();        // reports written letters; hands back unsent ones once closed
  void release_busy_if_done();  // frees busy_ when nothing is queued, written, read or closing
  void write_next();            // writes what is queued, after the handlers already waiting
  void write_gathered();        // write_next's posted half
  void begin_close();
  void shutdown_now();
  static bool is_file_marker(const hub::SharedBytes& frame);
  std::size_t frames_to_gather(std::size_t max) const;  // queued frames before the next file marker
  // The feature an outgoing frame counts under (docs/METRICS.md#bytes-by-feature).
  metrics::Feature output_feature() const;
  void enqueue_file(hub::FileRegion region, hub::FileSent done);
  asio::awaitable<void> pump_file(std::shared_ptr<Connection> self);
  asio::awaitable<boost::system::error_code> send_header(std::string_view bytes);

 protected:
  Socket socket_;
  hub::Hub& hub_;
  const std::size_t high_water_;
  std::string ip_;
  // In the connection, not a heap block of its own (docs/BENCHMARKS.md#memory-per-device):
  // set by start(), which can hand it weak_from_this().
  std::optional<hub::Session> session_;
  bool closed_ = false;
  metrics::Transport transport_ = metrics::Transport::plaintext;          // counted in edgehub_connections
  asio::socket_base::wait_type wait_for_ = asio::socket_base::wait_read;  // after read_bytes' would_block

 private:
  bool writing_ = false;
  bool closing_ = false;
  bool greeted_on_silence_ = false;
  bool sending_letter_ = false;  // enqueue() is queuing a letter (a message)
  // Parking: waiting_ while wait_readable's wait for input is pending;
  // touched_ by every wait and write since the lot's last sweep; candidate_
  // while in the lot's candidates; parked_fd_ >= 0 while the lot holds it.
  bool waiting_ = false;
  bool touched_ = false;
  bool candidate_ = false;
  bool ipv6_ = false;            // the protocol to assign parked_fd_ back with
  std::uint8_t park_epoch_ = 0;  // a wait begun before the last park was aborted by it: ignore
  int parked_fd_ = -1;           // the released descriptor while parked
  ParkingLot* lot_ = nullptr;    // null: parking off (--park-idle 0)
  std::unique_ptr<Busy> busy_;   // null while idle
};

}  // namespace edgehub::net
