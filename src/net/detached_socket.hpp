#pragma once
// A socket's descriptor on its way from one io_context to another (from
// the admission threads to a network thread: net/admission_threads.hpp).
// Closed if the handler that carries it is destroyed unrun, as a stopped
// io_context's handlers are at shutdown.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace edgehub::net {

class DetachedSocket {
 public:
  // Takes the socket off its io_context; a socket already gone detaches as
  // nothing, and attaches as a closed socket.
  explicit DetachedSocket(boost::asio::ip::tcp::socket& socket);
  DetachedSocket(DetachedSocket&& other) noexcept;
  DetachedSocket& operator=(DetachedSocket&&) = delete;
  ~DetachedSocket();

  // The socket on `executor`'s io_context (call it there), typed as a
  // Connection's socket, so that the connection need not move it again;
  // closed (is_open() false) if it could not be attached.
  using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;
  Socket attach_to(const boost::asio::io_context::executor_type& executor);

 private:
  int fd_ = -1;
  boost::asio::ip::tcp protocol_ = boost::asio::ip::tcp::v4();
};

}  // namespace edgehub::net
