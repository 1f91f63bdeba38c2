// The same server over TLS (docs/HTTP_API.md#the-http-server): file bytes
// go through the TLS writer instead of sendfile, uploads through the TLS
// reader; plain HTTP still served to loopback.
#include <gtest/gtest.h>

#include <fstream>

#include "net/tls_context.hpp"
#include "unit/web/server/http_test_server.hpp"
#include "unit/web/server/test_routes.hpp"

namespace edgehub::web::test {
namespace {

namespace fs = std::filesystem;

class HttpsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("edgehub-https-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    const std::string cert = (dir_ / "cert.pem").string(), key = (dir_ / "key.pem").string();
    run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost -keyout " +
        key + " -out " + cert + " 2>/dev/null");
    file_ = dir_ / "data.bin";
    content_.resize(2 * 1024 * 1024 + 5);
    for (std::size_t i = 0; i < content_.size(); ++i) content_[i] = static_cast<char>(i * 31 + (i >> 11));
    std::ofstream(file_, std::ios::binary) << content_;
    HttpOptions options;
    options.tls = net::make_server_tls_context({cert, key});
    server_ = std::make_unique<TestServer>(test_router(file_, uploads_), std::make_shared<FakeSessions>(), options);
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }
  std::string curl(const std::string& args) { return run("curl -sk --max-time 20 " + args); }
  std::string url(const std::string& path) {
    return "'https://127.0.0.1:" + std::to_string(server_->port()) + path + "'";
  }

  fs::path dir_, file_;
  std::string content_;
  std::shared_ptr<UploadLog> uploads_ = std::make_shared<UploadLog>();
  std::unique_ptr<TestServer> server_;
};

TEST_F(HttpsServerTest, DownloadsAndRangesOverTls) {
  const fs::path out = dir_ / "out";
  EXPECT_EQ(curl("-o " + out.string() + " -w '%{http_code} %{scheme}' " + url("/files/data.bin")), "200 HTTPS");
  std::ifstream in(out, std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), content_);
  EXPECT_EQ(curl("-r 1000-1009 " + url("/files/data.bin")), content_.substr(1000, 10));
}

TEST_F(HttpsServerTest, UploadsOverTls) {
  EXPECT_EQ(curl("-T " + file_.string() + " " + url("/uploads/x")),
            "{\"size\":" + std::to_string(content_.size()) + "}");
  std::lock_guard lock(uploads_->mutex);
  EXPECT_EQ(uploads_->bytes, content_);
}

TEST_F(HttpsServerTest, CookieAndPlainHttpOnLoopback) {
  EXPECT_EQ(curl("-b edgehub_session=alice " + url("/mine")), "mine");
  EXPECT_EQ(run("curl -s --max-time 20 " + server_->url("/mine") + " -b edgehub_session=alice"), "mine");
}

}  // namespace
}  // namespace edgehub::web::test
