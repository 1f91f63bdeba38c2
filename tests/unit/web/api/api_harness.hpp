#pragma once
// A real hub (unit/hub/core/hub_harness.hpp) with the API's routes: requests
// go straight to the route handlers, as the HTTP server would send them
// after its own checks; browser devices live on the test's web io_context.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "unit/hub/core/hub_harness.hpp"
#include "web/api/api_routes.hpp"

namespace edgehub::web::api::testing {

struct Reply {
  unsigned status = 0;
  boost::json::value json;
  ApiResponse raw;
  std::string header(std::string_view name) const {
    for (const auto& [key, value] : raw.headers)
      if (key == name) return value;
    return {};
  }
};

// A browser: its cookie once logged in.
struct Browser {
  std::string cookie;
  std::string csrf;
};

// Collects the events a WebSocket would get.
struct SinkRecorder final : EventSink {
  std::vector<std::string> events;
  std::optional<std::string> ended;
  void deliver(std::shared_ptr<const std::string> json) override { events.push_back(*json); }
  void end(std::string reason) override { ended = reason; }
};

class ApiHarness : public hub::testing::HubHarness {
 protected:
  ApiHarness() {
    table_ = std::make_shared<SessionTable>(SessionLimits{std::chrono::seconds(60), std::chrono::seconds(600), 4},
                                            [this] { return clock_ms_; });
    WebServices services{hub(), {web_io_.get_executor()}, nullptr};
    register_api_routes(router_, services, table_);
  }
  ~ApiHarness() override {
    table_->end_all("test over");
    drain();
  }

  // Runs the web side until it has nothing left to do.
  void drain() {
    web_io_.restart();
    web_io_.run();
  }

  // Runs the web side until pred holds (work from the store thread, such as
  // offline delivery, arrives when it arrives); false after 10 s without.
  template <typename Pred>
  bool wait_until(Pred pred) {
    auto guard = boost::asio::make_work_guard(web_io_);
    web_io_.restart();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!pred() && std::chrono::steady_clock::now() < deadline) web_io_.run_one_for(std::chrono::milliseconds(100));
    return pred();
  }

  Reply call(http::verb method, const std::string& path, std::string body = {}, Browser* browser = nullptr,
             std::string content_type = "application/json") {
    bool known = false;
    auto match = router_.find(method, path, &known);
    EXPECT_NE(match.route, nullptr) << path;
    if (match.route == nullptr) return {};
    http_ = HttpRequest(method, path, 11);
    http_.set(http::field::content_type, content_type);
    ApiRequest request;
    request.method = method;
    request.path = path;
    request.params = match.params;
    request.http = &http_;
    request.body = std::move(body);
    request.remote_ip = "127.0.0.1";
    if (browser != nullptr) request.session = table_->find(browser->cookie);
    if (match.route->access != Access::Public && !request.session) return {401, {}, {}};
    std::optional<ApiResponse> response;
    boost::asio::co_spawn(web_io_, match.route->handler(request), [&](std::exception_ptr e, ApiResponse r) {
      if (!e) response = std::move(r);
    });
    drain();
    EXPECT_TRUE(response.has_value()) << "no response for " << path;
    if (!response) return {};
    Reply reply{response->status, {}, *response};
    if (!response->body.empty()) reply.json = boost::json::parse(response->body);
    return reply;
  }

  Browser login(const std::string& name, std::string password = std::string(hub::testing::kPassword)) {
    auto reply =
        call(http::verb::post, "/api/v1/login", R"({"name":")" + name + R"(","password":")" + password + R"("})");
    Browser browser;
    if (reply.status != 200) return browser;
    const std::string cookie = reply.header("Set-Cookie");
    const auto start = cookie.find('=') + 1;
    browser.cookie = cookie.substr(start, cookie.find(';') - start);
    browser.csrf = std::string(reply.json.at("csrf").as_string());
    return browser;
  }

  std::shared_ptr<BrowserSession> session_of(const Browser& browser) {
    return std::dynamic_pointer_cast<BrowserSession>(table_->find(browser.cookie));
  }

  std::int64_t clock_ms_ = 1'000'000;
  boost::asio::io_context web_io_;
  std::shared_ptr<SessionTable> table_;
  Router router_;
  HttpRequest http_;
};

}  // namespace edgehub::web::api::testing
