// The HTTP server with curl and raw sockets (docs/HTTP_API.md#the-http-server).
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "unit/web/server/http_test_server.hpp"
#include "unit/web/server/test_routes.hpp"

namespace edgehub::web::test {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("edgehub-http-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    file_ = dir_ / "data.bin";
    std::string content(3 * 1024 * 1024 + 17, '\0');
    for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>((i * 7919) >> 3);
    std::ofstream(file_, std::ios::binary) << content;
    content_ = content;
    server_ = std::make_unique<TestServer>(test_router(file_, uploads_), std::make_shared<FakeSessions>(), options());
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }
  virtual HttpOptions options() { return {}; }
  std::string curl(const std::string& args) { return run("curl -s --max-time 20 " + args); }
  std::string url(const std::string& path) { return "'" + server_->url(path) + "'"; }
  std::string raw(const std::string& request) {
    RawClient client(server_->port());
    client.send(request);
    return client.read_to_close();
  }

  fs::path dir_, file_;
  std::string content_;
  std::shared_ptr<UploadLog> uploads_ = std::make_shared<UploadLog>();
  std::unique_ptr<TestServer> server_;
};

TEST_F(HttpServerTest, DownloadsWholeFileWithHeaders) {
  const std::string out = (dir_ / "out").string();
  const std::string headers = curl("-D - -o " + out + " " + url("/files/data.bin"));
  EXPECT_EQ(slurp(out), content_);
  EXPECT_NE(headers.find("HTTP/1.1 200 OK"), std::string::npos) << headers;
  EXPECT_NE(headers.find("ETag: \"v1\""), std::string::npos) << headers;
  EXPECT_NE(headers.find("Accept-Ranges: bytes"), std::string::npos) << headers;
  EXPECT_NE(headers.find("Content-Disposition: attachment; filename=\"donn__es.bin\"; "
                         "filename*=UTF-8''donn%C3%A9es.bin"),
            std::string::npos)
      << headers;
  EXPECT_EQ(curl("-o /dev/null -w '%{http_code}' " + url("/files/other")), "404");
}

TEST_F(HttpServerTest, ResumesWithCurlContinue) {
  const fs::path out = dir_ / "partial";
  std::ofstream(out, std::ios::binary) << content_.substr(0, 1024 * 1024 + 123);
  EXPECT_EQ(curl("-C - -o " + out.string() + " -w '%{http_code}' " + url("/files/data.bin")), "206");
  EXPECT_EQ(slurp(out), content_);
}

TEST_F(HttpServerTest, RangesConditionsAndHead) {
  EXPECT_EQ(curl("-r 10-19 " + url("/files/data.bin")), content_.substr(10, 10));
  EXPECT_EQ(curl("-r -5 " + url("/files/data.bin")), content_.substr(content_.size() - 5));
  const std::string size = std::to_string(content_.size());
  const std::string past = curl("-r 99999999- -D - " + url("/files/data.bin"));
  EXPECT_NE(past.find("HTTP/1.1 416"), std::string::npos) << past;
  EXPECT_NE(past.find("Content-Range: bytes */" + size), std::string::npos) << past;
  EXPECT_NE(past.find("\"code\":\"range_not_satisfiable\""), std::string::npos) << past;
  EXPECT_EQ(curl("-o /dev/null -w '%{http_code}' -H 'If-None-Match: \"v1\"' " + url("/files/data.bin")), "304");
  EXPECT_EQ(
      curl("-o /dev/null -w '%{http_code} %{size_download}' -r 0-9 -H 'If-Range: \"v0\"' " + url("/files/data.bin")),
      "200 " + size);
  EXPECT_EQ(curl("-o /dev/null -w '%{http_code} %{size_download}' -r 0-9,20-29 " + url("/files/data.bin")),
            "200 " + size);
  const std::string head = curl("-I " + url("/files/data.bin"));
  EXPECT_NE(head.find("Content-Length: " + size), std::string::npos) << head;
}

TEST_F(HttpServerTest, UploadsStreamInPiecesOfAtMostOneMebibyte) {
  EXPECT_EQ(curl("-T " + file_.string() + " " + url("/uploads/x")),
            "{\"size\":" + std::to_string(content_.size()) + "}");
  std::lock_guard lock(uploads_->mutex);
  EXPECT_EQ(uploads_->bytes, content_);
  EXPECT_LE(uploads_->largest_piece, 1024u * 1024u);
}

TEST_F(HttpServerTest, ChunkedUploadIsAccepted) {
  EXPECT_EQ(curl("-T - " + url("/uploads/x") + " < " + file_.string()),
            "{\"size\":" + std::to_string(content_.size()) + "}");
}

TEST_F(HttpServerTest, UploadsRefusedBeforeTheBody) {
  const std::string big = raw("PUT /uploads/x HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999\r\n\r\n");
  EXPECT_NE(big.find("HTTP/1.1 413"), std::string::npos) << big;
  const std::string none = raw("PUT /uploads/x HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_NE(none.find("HTTP/1.1 411"), std::string::npos) << none;
  EXPECT_EQ(curl("-o /dev/null -w '%{http_code}' -T " + file_.string() + " " + url("/uploads/taken")), "409");
  EXPECT_EQ(uploads_->opened, 0);
}

TEST_F(HttpServerTest, UploadAbortedWhenTheClientGoesAway) {
  RawClient client(server_->port());
  client.send("PUT /uploads/x HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n0123456789");
  client.close();
  EXPECT_EQ(uploads_->aborted.get_future().wait_for(std::chrono::seconds(20)), std::future_status::ready);
}

TEST_F(HttpServerTest, AccessCookieAndCsrf) {
  const auto status = [&](const std::string& args) { return curl("-o /dev/null -w '%{http_code}' " + args); };
  EXPECT_EQ(status(url("/mine")), "401");
  EXPECT_EQ(status("-b edgehub_session=forged " + url("/mine")), "401");
  EXPECT_EQ(curl("-b 'x=1; edgehub_session=alice' " + url("/mine")), "mine");
  EXPECT_EQ(status("-X POST -b edgehub_session=alice " + url("/mine")), "403");
  EXPECT_EQ(status("-X POST -b edgehub_session=alice -H 'X-CSRF-Token: csrf-root' " + url("/mine")), "403");
  EXPECT_EQ(curl("-X POST -b edgehub_session=alice -H 'X-CSRF-Token: csrf-alice' " + url("/mine")), "posted");
  EXPECT_EQ(status("-b edgehub_session=alice " + url("/admin")), "403");
  EXPECT_EQ(curl("-b edgehub_session=root " + url("/admin")), "admin");
  EXPECT_EQ(status("-X DELETE " + url("/mine")), "405");
  EXPECT_EQ(status(url("/nowhere")), "404");
}

TEST_F(HttpServerTest, BodiesWithinTheRouteLimit) {
  EXPECT_EQ(curl("-d hello " + url("/echo")), "echo+hello");
  EXPECT_EQ(curl("-o /dev/null -w '%{http_code}' -d " + std::string(200, 'x') + " " + url("/echo")), "413");
}

TEST_F(HttpServerTest, PathsThatLeaveTheirFolderAreRefused) {
  for (const char* path : {"/files/..%2fdata.bin", "/files/%2e%2e", "/files/a%00b", "/files/%ff",
                           "/files/../files/data.bin", "/files/a%2Fb", "/files/%zz", "/files/./data.bin"}) {
    const std::string reply = raw(std::string("GET ") + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    EXPECT_NE(reply.find("HTTP/1.1 400"), std::string::npos) << path << ": " << reply;
    EXPECT_NE(reply.find("\"code\":\"bad_path\""), std::string::npos) << path;
  }
}

TEST_F(HttpServerTest, MalformedAndOversizedRequests) {
  const std::string big = raw("GET /mine HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n");
  EXPECT_NE(big.find("HTTP/1.1 431"), std::string::npos) << big;
  const std::string garbage = raw("GARBAGE\r\n\r\n");
  EXPECT_NE(garbage.find("HTTP/1.1 400"), std::string::npos) << garbage;
  const std::string chunk = raw("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
  EXPECT_NE(chunk.find("HTTP/1.1 400"), std::string::npos) << chunk;
}

TEST_F(HttpServerTest, KeepAliveServesRequestsInOrder) {
  const std::string two =
      raw("GET /files/nope HTTP/1.1\r\nHost: a\r\n\r\nGET /nowhere HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  EXPECT_NE(two.find("no such file"), std::string::npos) << two;
  EXPECT_LT(two.find("no such file"), two.find("no such path")) << two;
}

TEST_F(HttpServerTest, UpgradeHandsTheStreamToTheRoute) {
  const std::string upgrade =
      "GET /events HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
      "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
  const std::string handed = raw(upgrade + "Cookie: edgehub_session=alice\r\n\r\n");
  EXPECT_NE(handed.find("handed over to alice for /events"), std::string::npos) << handed;
  EXPECT_NE(raw(upgrade + "\r\n").find("HTTP/1.1 401"), std::string::npos);
  const std::string plain =
      raw("GET /events HTTP/1.1\r\nHost: a\r\nCookie: edgehub_session=alice\r\nConnection: close\r\n\r\n");
  EXPECT_NE(plain.find("websocket_required"), std::string::npos) << plain;
}

class HttpDeadlineTest : public HttpServerTest {
 protected:
  HttpOptions options() override {
    HttpOptions o;
    o.header_timeout = std::chrono::milliseconds(200);
    o.body_timeout = std::chrono::milliseconds(200);
    o.max_connections = 2;
    return o;
  }
};

TEST_F(HttpDeadlineTest, SlowHeadersGet408) {
  const std::string reply = raw("GET /mine HTTP/1.1\r\nHost: a\r\n");  // never finished
  EXPECT_NE(reply.find("HTTP/1.1 408"), std::string::npos) << reply;
}

TEST_F(HttpDeadlineTest, SilentConnectionIsClosedQuietly) { EXPECT_EQ(raw(""), ""); }

TEST_F(HttpDeadlineTest, StalledBodyGets408) {
  const std::string reply = raw("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 50\r\n\r\nabc");
  EXPECT_NE(reply.find("HTTP/1.1 408"), std::string::npos) << reply;
}

TEST_F(HttpDeadlineTest, ConnectionsOverTheCapGet503) {
  RawClient first(server_->port()), second(server_->port());
  first.send("GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n");
  second.send("GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_NE(first.read_some(10).find("404"), std::string::npos);  // both are counted now
  EXPECT_NE(second.read_some(10).find("404"), std::string::npos);
  const std::string third = raw("GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_NE(third.find("HTTP/1.1 503"), std::string::npos) << third;
}

}  // namespace
}  // namespace edgehub::web::test
