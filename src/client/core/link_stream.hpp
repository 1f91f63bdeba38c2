#pragma once
// The byte stream of the server connection: TLS (the default) or, with
// --plain, the TCP socket under it (docs/SECURITY.md#tls). ServerLink reads
// and writes it with Asio's composed operations either way.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <memory>
#include <utility>

namespace edgehub::client {

class LinkStream {
 public:
  using Tls = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;
  using executor_type = Tls::executor_type;

  LinkStream(std::unique_ptr<Tls> stream, bool tls) : stream_(std::move(stream)), tls_(tls) {}

  executor_type get_executor() { return stream_->get_executor(); }
  boost::asio::ip::tcp::socket& socket() { return stream_->next_layer(); }
  bool tls() const { return tls_; }

  template <class Buffers, class Handler>
  void async_read_some(const Buffers& buffers, Handler&& handler) {
    if (tls_)
      stream_->async_read_some(buffers, std::forward<Handler>(handler));
    else
      stream_->next_layer().async_read_some(buffers, std::forward<Handler>(handler));
  }

  template <class Buffers, class Handler>
  void async_write_some(const Buffers& buffers, Handler&& handler) {
    if (tls_)
      stream_->async_write_some(buffers, std::forward<Handler>(handler));
    else
      stream_->next_layer().async_write_some(buffers, std::forward<Handler>(handler));
  }

 private:
  std::unique_ptr<Tls> stream_;
  bool tls_;
};

}  // namespace edgehub::client
