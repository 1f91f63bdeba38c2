// The WebSocket of /api/v1/events over a real loopback connection
// (docs/HTTP_API.md#events): hello and the buffered events, and the
// refusals of oversized, endlessly fragmented and unmasked client frames.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <thread>

#include "unit/web/api/api_harness.hpp"
#include "web/api/event_socket.hpp"

namespace edgehub::web::api::testing {
namespace {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using asio::ip::tcp;

void open_socket(websocket::stream<tcp::socket>& ws, unsigned short port) {
  ws.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
  ws.handshake("127.0.0.1", "/api/v1/events");
}

std::string read_text(websocket::stream<tcp::socket>& ws) {
  boost::beast::flat_buffer b;
  ws.read(b);
  return boost::beast::buffers_to_string(b.data());
}

// The close code the server sent, read after the client broke a rule.
int close_code_after(websocket::stream<tcp::socket>& ws) {
  try {
    while (true) read_text(ws);
  } catch (const boost::system::system_error&) {
  }
  return ws.reason().code;
}

class EventSocketTest : public ApiHarness {
 protected:
  // Accepts one connection on the web io_context, reads its upgrade
  // request as the HTTP server would, and hands it to serve_events.
  void listen_for(const Browser& browser) {
    acceptor_.open(tcp::v4());
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    auto session = table_->find(browser.cookie);
    acceptor_.async_accept([this, session](boost::system::error_code ec, tcp::socket socket) {
      ASSERT_FALSE(ec);
      auto up = std::make_unique<Upgraded>();
      up->request.session = session;
      auto& stream = up->stream.emplace<PlainStream>(std::move(socket));
      auto* raw = up.get();
      http::async_read(stream, buffer_, raw->http,
                       [up = std::move(up)](boost::system::error_code e, std::size_t) mutable {
                         ASSERT_FALSE(e);
                         serve_events(std::move(up), EventSocketOptions{});
                       });
    });
  }

  // Runs client(port) on its own thread while the web side runs here. A
  // client still blocked after wait_until's 10 s gets its socket shut down,
  // so its read returns and the test fails instead of hanging in join()
  // (nothing runs the server side any more by then).
  template <typename F>
  void with_client(F client) {
    std::atomic<bool> done{false};
    std::thread thread([&] {
      client(port_);
      done = true;
    });
    const bool finished = wait_until([&] { return done.load(); });
    EXPECT_TRUE(finished) << "the client was still blocked";
    if (const int fd = client_fd_.load(); !finished && fd >= 0) ::shutdown(fd, SHUT_RDWR);
    thread.join();
  }
  // The client's socket, for with_client's shutdown.
  void track(int fd) { client_fd_.store(fd); }

  // The close code the server sends after the client did `misbehave`.
  template <typename F>
  int close_code_when(F misbehave) {
    Browser bob = login("bob");
    listen_for(bob);
    int code = 0;
    with_client([&](unsigned short port) {
      asio::io_context io;
      websocket::stream<tcp::socket> ws(io);
      open_socket(ws, port);
      track(ws.next_layer().native_handle());
      read_text(ws);
      try {
        misbehave(ws);
      } catch (const boost::system::system_error&) {  // the server may close first
      }
      code = close_code_after(ws);
    });
    return code;
  }

  tcp::acceptor acceptor_{web_io_};
  std::atomic<int> client_fd_{-1};
  boost::beast::flat_buffer buffer_;
  unsigned short port_ = 0;
};

TEST_F(EventSocketTest, SaysHelloThenReplaysWhatArrivedBefore) {
  auto& alice = logged_in("alice");
  Browser bob = login("bob");
  send(alice, "message bob before the socket");
  auto session = session_of(bob);
  ASSERT_TRUE(wait_until([&] { return session->device().buffered_events() == 1; }));
  listen_for(bob);
  std::vector<std::string> got;
  with_client([&](unsigned short port) {
    asio::io_context io;
    websocket::stream<tcp::socket> ws(io);
    open_socket(ws, port);
    track(ws.next_layer().native_handle());
    got.push_back(read_text(ws));
    got.push_back(read_text(ws));
    ws.close(websocket::close_code::normal);
  });
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], R"({"type":"hello","name":"bob"})");
  EXPECT_NE(got[1].find(R"("text":"before the socket")"), std::string::npos) << got[1];
}

TEST_F(EventSocketTest, AMessageOver64KiBClosesTheSocket) {
  const int code =
      close_code_when([](websocket::stream<tcp::socket>& ws) { ws.write(asio::buffer(std::string(70 * 1024, 'x'))); });
  EXPECT_EQ(code, websocket::close_code::too_big);
}

TEST_F(EventSocketTest, FragmentingForeverClosesTheSocket) {
  const int code = close_code_when([](websocket::stream<tcp::socket>& ws) {
    const std::string piece(1024, 'f');
    // Never the last fragment: the server closes once the message passes
    // 64 KiB (70 pieces, few enough to fit the socket buffers, so the
    // client never blocks while the server waits for its close).
    for (int i = 0; i < 70; ++i) ws.write_some(false, asio::buffer(piece));
  });
  EXPECT_EQ(code, websocket::close_code::too_big);
}

TEST_F(EventSocketTest, AnUnmaskedClientFrameIsAProtocolError) {
  Browser bob = login("bob");
  listen_for(bob);
  std::string received;
  with_client([&](unsigned short port) {
    asio::io_context io;
    tcp::socket s(io);
    s.connect({asio::ip::make_address("127.0.0.1"), port});
    track(s.native_handle());
    asio::write(s, asio::buffer(std::string("GET /api/v1/events HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                                            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                            "Sec-WebSocket-Version: 13\r\n\r\n")));
    // The frame only after the server's 101, as RFC 6455 (4.1) has a client
    // wait: a frame sent with the request would be read along with it by
    // the HTTP side and never reach the WebSocket (which then waited,
    // silent, past the harness's 10 s: the hang this test used to have).
    boost::system::error_code ec;
    asio::read_until(s, asio::dynamic_buffer(received), "\r\n\r\n", ec);
    ASSERT_FALSE(ec) << ec.message();
    asio::write(s, asio::buffer(std::string("\x81\x02hi", 4)));  // FIN text "hi", mask bit clear
    std::array<char, 4096> chunk{};
    while (!ec) received.append(chunk.data(), s.read_some(asio::buffer(chunk), ec));
  });
  ASSERT_NE(received.find("101 Switching Protocols"), std::string::npos) << received;
  // A close frame (0x88) with status 1002 (0x03 0xEA): protocol error.
  EXPECT_NE(received.find(std::string("\x88\x02\x03\xea", 4)), std::string::npos);
}

}  // namespace
}  // namespace edgehub::web::api::testing
