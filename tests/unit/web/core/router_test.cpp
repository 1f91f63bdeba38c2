#include "web/core/route.hpp"

#include <gtest/gtest.h>

namespace edgehub::web {
namespace {

Route route(http::verb method, std::string pattern) {
  Route r;
  r.method = method;
  r.pattern = std::move(pattern);
  return r;
}

TEST(Router, MatchesLiteralAndParameterSegments) {
  Router router;
  router.add(route(http::verb::get, "/api/v1/files"));
  router.add(route(http::verb::get, "/api/v1/files/{name}"));
  auto m = router.find(http::verb::get, "/api/v1/files/a%20b.txt");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/files/{name}");
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0], "a%20b.txt");
  EXPECT_EQ(router.find(http::verb::get, "/api/v1/files").route->pattern, "/api/v1/files");
}

TEST(Router, TellsUnknownPathFromWrongMethod) {
  Router router;
  router.add(route(http::verb::get, "/api/v1/devices"));
  bool known = true;
  EXPECT_EQ(router.find(http::verb::get, "/api/v1/nothing", &known).route, nullptr);
  EXPECT_FALSE(known);
  EXPECT_EQ(router.find(http::verb::post, "/api/v1/devices", &known).route, nullptr);
  EXPECT_TRUE(known);
}

TEST(Router, EmptyParameterSegmentDoesNotMatch) {
  Router router;
  router.add(route(http::verb::get, "/api/v1/files/{name}"));
  EXPECT_EQ(router.find(http::verb::get, "/api/v1/files/").route, nullptr);
  EXPECT_EQ(router.find(http::verb::get, "/api/v1/files/a/b").route, nullptr);
}

TEST(Router, RefusesDuplicateRoutes) {
  Router router;
  router.add(route(http::verb::get, "/x"));
  EXPECT_THROW(router.add(route(http::verb::get, "/x")), std::logic_error);
  router.add(route(http::verb::post, "/x"));
}

TEST(JsonError, HasStatusCodeAndMessage) {
  auto r = json_error(404, "not_found", "no \"such\" file");
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.body, R"({"status":404,"code":"not_found","message":"no \"such\" file"})");
}

}  // namespace
}  // namespace edgehub::web
