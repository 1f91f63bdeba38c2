#pragma once
// The routes the server tests serve: a file, an upload, logged-in and
// admin paths, a WebSocket-like upgrade (docs/HTTP_API.md#the-http-server).
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/write.hpp>
#include <filesystem>
#include <future>
#include <mutex>

#include "web/core/route.hpp"

namespace edgehub::web::test {

class FakeSession : public WebSession {
 public:
  FakeSession(std::string name, bool admin) : name_(std::move(name)), admin_(admin) {}
  const std::string& name() const override { return name_; }
  bool is_admin() const override { return admin_; }
  const std::string& csrf_token() const override { return csrf_; }
  void touch() override {}

 private:
  std::string name_;
  bool admin_;
  std::string csrf_ = "csrf-" + name_;
};

// Cookie "alice" is a user's session, "root" an admin's.
class FakeSessions : public SessionResolver {
 public:
  std::shared_ptr<WebSession> find(std::string_view value) override {
    if (value == "alice") return std::make_shared<FakeSession>("alice", false);
    if (value == "root") return std::make_shared<FakeSession>("root", true);
    return nullptr;
  }
};

// What the upload route saw, for the test thread.
struct UploadLog {
  std::mutex mutex;
  std::string bytes;
  std::size_t largest_piece = 0;
  std::atomic<int> opened = 0;
  std::promise<void> aborted;
};

class RecordingSink : public UploadSink {
 public:
  explicit RecordingSink(std::shared_ptr<UploadLog> log) : log_(std::move(log)) {}
  boost::asio::awaitable<void> write(std::string_view piece) override {
    std::lock_guard lock(log_->mutex);
    log_->bytes.append(piece);
    log_->largest_piece = std::max(log_->largest_piece, piece.size());
    co_return;
  }
  boost::asio::awaitable<ApiResponse> finish() override {
    ApiResponse r;
    r.status = 201;
    std::lock_guard lock(log_->mutex);
    r.body = "{\"size\":" + std::to_string(log_->bytes.size()) + "}";
    co_return r;
  }
  void abort() override { log_->aborted.set_value(); }

 private:
  std::shared_ptr<UploadLog> log_;
};

inline ApiHandler answer(std::string body) {
  return [body](ApiRequest& request) -> boost::asio::awaitable<ApiResponse> {
    ApiResponse r;
    r.body = body + (request.params.empty() ? "" : ":" + request.params[0]) +
             (request.body.empty() ? "" : "+" + request.body);
    co_return r;
  };
}

inline Route route(http::verb method, std::string pattern, Access access) {
  Route r;
  r.method = method;
  r.pattern = std::move(pattern);
  r.access = access;
  return r;
}

inline ApiHandler file_handler(const std::filesystem::path& file) {
  return [file](ApiRequest& request) -> boost::asio::awaitable<ApiResponse> {
    if (request.params[0] != "data.bin") co_return json_error(404, "not_found", "no such file");
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    ApiResponse r;
    r.file.emplace();
    r.file->fd = fd;
    r.file->owner = std::shared_ptr<const void>(nullptr, [fd](const void*) { ::close(fd); });
    r.file->size = std::filesystem::file_size(file);
    r.file->etag = "\"v1\"";
    r.file->download_name = "données.bin";
    co_return r;
  };
}

inline UploadHandler upload_handler(std::shared_ptr<UploadLog> uploads) {
  return [uploads](ApiRequest& request) -> boost::asio::awaitable<UploadOpen> {
    if (request.params[0] == "taken") co_return json_error(409, "exists", "already there");
    ++uploads->opened;
    co_return std::make_unique<RecordingSink>(uploads);
  };
}

inline void hand_over(std::unique_ptr<Upgraded> up) {
  auto& stream = std::get<PlainStream>(up->stream);
  const std::string reply = "HTTP/1.1 101 Switching Protocols\r\n\r\nhanded over to " + up->request.session->name() +
                            " for " + up->request.path;
  boost::system::error_code ec;
  boost::asio::write(stream.socket(), boost::asio::buffer(reply), ec);
  stream.socket().close(ec);
}

inline Router test_router(const std::filesystem::path& file, std::shared_ptr<UploadLog> uploads) {
  Router router;
  auto get_file = route(http::verb::get, "/files/{name}", Access::Public);
  get_file.handler = file_handler(file);
  router.add(std::move(get_file));
  auto put = route(http::verb::put, "/uploads/{name}", Access::Public);
  put.max_body = 8 * 1024 * 1024;
  put.upload = upload_handler(uploads);
  router.add(std::move(put));
  auto mine = route(http::verb::get, "/mine", Access::LoggedIn);
  mine.handler = answer("mine");
  router.add(std::move(mine));
  auto post = route(http::verb::post, "/mine", Access::LoggedIn);
  post.handler = answer("posted");
  router.add(std::move(post));
  auto admin = route(http::verb::get, "/admin", Access::Admin);
  admin.handler = answer("admin");
  router.add(std::move(admin));
  auto echo = route(http::verb::post, "/echo", Access::Public);
  echo.max_body = 100;
  echo.handler = answer("echo");
  router.add(std::move(echo));
  auto events = route(http::verb::get, "/events", Access::LoggedIn);
  events.upgrade = hand_over;
  router.add(std::move(events));
  return router;
}

}  // namespace edgehub::web::test
