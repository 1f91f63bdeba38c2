// The embedded console (docs/CONSOLE.md#how-it-is-served): every file is
// there with its type and ETag, / is the page, unknown names are 404 and a
// matching If-None-Match gets 304 without the bytes.
#include "web/console/console_routes.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <regex>

namespace edgehub::web {
namespace {

ApiResponse call(const Router& router, std::string_view path, const HttpRequest* http = nullptr) {
  auto match = router.find(http::verb::get, path);
  EXPECT_NE(match.route, nullptr) << path;
  if (!match.route) return {};
  EXPECT_EQ(match.route->access, Access::Public);
  ApiRequest request;
  request.path = std::string(path);
  request.params = match.params;
  request.http = http;
  boost::asio::io_context io;
  auto result = boost::asio::co_spawn(io, match.route->handler(request), boost::asio::use_future);
  io.run();
  return result.get();
}

std::string header(const ApiResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers)
    if (key == name) return value;
  return {};
}

Router console_router() {
  Router router;
  add_console_routes(router);
  return router;
}

TEST(ConsoleAssets, PagesAndScriptsAreEmbeddedWithTheirTypes) {
  for (auto name : {"index.html", "app.js", "api.js", "style.css"}) {
    const Asset* asset = find_asset(name);
    ASSERT_NE(asset, nullptr) << name;
    EXPECT_FALSE(asset->bytes.empty()) << name;
    EXPECT_EQ(asset->etag.size(), 66u) << name;  // quoted SHA-256 hex
  }
  EXPECT_EQ(find_asset("index.html")->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(find_asset("app.js")->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(find_asset("nope.js"), nullptr);
  EXPECT_EQ(find_asset("../index.html"), nullptr);
}

// Every file the page and its modules load is embedded: a renamed module
// would otherwise be a 404 found only in a browser. uPlot is absent from a
// build without node_modules (docs/CONSOLE.md#how-it-is-served).
TEST(ConsoleAssets, EveryReferencedFileIsEmbedded) {
  const std::regex reference(R"((?:/assets/|from '\./)([A-Za-z0-9_.-]+))");
  int references = 0;
  for (const auto& asset : console_assets()) {
    if (asset.name.starts_with("uPlot")) continue;
    std::string text(asset.bytes);
    for (std::sregex_iterator it(text.begin(), text.end(), reference), end; it != end; ++it) {
      std::string name = (*it)[1];
      ++references;
      if (name.starts_with("uPlot")) continue;
      EXPECT_NE(find_asset(name), nullptr) << asset.name << " loads " << name;
    }
  }
  EXPECT_GT(references, 10);
}

TEST(ConsoleRoutes, RootServesThePageWithRevalidation) {
  auto router = console_router();
  auto response = call(router, "/");
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.content_type, "text/html; charset=utf-8");
  EXPECT_NE(response.body.find("<!doctype html>"), std::string::npos);
  EXPECT_EQ(header(response, "Cache-Control"), "no-cache");
  EXPECT_EQ(header(response, "ETag"), find_asset("index.html")->etag);
  EXPECT_NE(header(response, "Content-Security-Policy").find("default-src 'self'"), std::string::npos);
}

TEST(ConsoleRoutes, UnknownAssetIs404) {
  auto router = console_router();
  auto response = call(router, "/assets/missing.js");
  EXPECT_EQ(response.status, 404u);
  EXPECT_NE(response.body.find("not_found"), std::string::npos);
}

TEST(ConsoleRoutes, MatchingETagGets304WithoutBody) {
  auto router = console_router();
  const Asset* app = find_asset("app.js");
  HttpRequest http;
  http.set(http::field::if_none_match, "\"other\", " + std::string(app->etag));
  auto response = call(router, "/assets/app.js", &http);
  EXPECT_EQ(response.status, 304u);
  EXPECT_TRUE(response.body.empty());
  EXPECT_EQ(header(response, "ETag"), app->etag);

  http.set(http::field::if_none_match, "\"stale\"");
  response = call(router, "/assets/app.js", &http);
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.body, app->bytes);
}

}  // namespace
}  // namespace edgehub::web
