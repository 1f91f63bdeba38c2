#include "web/server/request_target.hpp"

#include <gtest/gtest.h>

#include "web/server/file_plan.hpp"

namespace edgehub::web {
namespace {

TEST(RequestTarget, DecodesPathAndQuery) {
  auto t = decode_target("/api/v1/files/a%20b.txt?bins=20&x=a+b&flag");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->raw_path, "/api/v1/files/a%20b.txt");
  EXPECT_EQ(t->path, "/api/v1/files/a b.txt");
  EXPECT_EQ(t->query.find("bins")->second, "20");
  EXPECT_EQ(t->query.find("x")->second, "a b");
  EXPECT_EQ(t->query.find("flag")->second, "");
}

TEST(RequestTarget, RefusesTraversalNulAndBadEncoding) {
  for (const char* bad : {"/a/../b", "/a/%2e%2e/b", "/a/%2E%2e", "/a/./b", "/a/%00b", "/a/%zz", "/a/%4", "/a/%ff",
                          "/a/%c0%af", "relative", "", "/a?x=%00", "/a?x=%e2%82"})
    EXPECT_FALSE(decode_target(bad)) << bad;
  EXPECT_TRUE(decode_target("/a/%e2%82%ac"));  // the euro sign
  EXPECT_TRUE(decode_target("/"));
}

TEST(RequestTarget, RefusesParametersThatLeaveTheirFolder) {
  EXPECT_EQ(decode_param("r%C3%A9sum%C3%A9.pdf"), "résumé.pdf");
  for (const char* bad : {"a%2fb", "a%2Fb", "..", "%2e%2e", ".", "%2e", "a%00", "%ed%a0%80"})
    EXPECT_FALSE(decode_param(bad)) << bad;
}

TEST(RequestTarget, ContentDispositionFollowsRfc6266) {
  EXPECT_EQ(content_disposition("report.txt"), "attachment; filename=\"report.txt\"");
  EXPECT_EQ(content_disposition("résumé 1.pdf"),
            "attachment; filename=\"r__sum__ 1.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%201.pdf");
  EXPECT_EQ(content_disposition("a\"b.txt"), "attachment; filename=\"a_b.txt\"; filename*=UTF-8''a%22b.txt");
}

FileRequestHeaders ask(std::string_view range, std::string_view if_range = {}, std::string_view if_none_match = {}) {
  FileRequestHeaders h;
  h.range = range;
  h.if_range = if_range;
  h.if_none_match = if_none_match;
  return h;
}

std::string header(const FilePlan& plan, const std::string& name) {
  for (const auto& [k, v] : plan.headers)
    if (k == name) return v;
  return {};
}

TEST(FilePlan, WholeFileSingleRangeAndSuffix) {
  const std::string tag = "\"abc\"";
  auto whole = plan_file(1000, tag, {});
  EXPECT_EQ(whole.status, 200u);
  EXPECT_EQ(whole.length, 1000u);
  EXPECT_EQ(header(whole, "ETag"), tag);
  EXPECT_EQ(header(whole, "Accept-Ranges"), "bytes");
  auto part = plan_file(1000, tag, ask("bytes=100-199"));
  EXPECT_EQ(part.status, 206u);
  EXPECT_EQ(part.offset, 100u);
  EXPECT_EQ(part.length, 100u);
  EXPECT_EQ(header(part, "Content-Range"), "bytes 100-199/1000");
  auto open = plan_file(1000, tag, ask("bytes=900-"));
  EXPECT_EQ(open.length, 100u);
  auto clipped = plan_file(1000, tag, ask("bytes=990-5000"));
  EXPECT_EQ(header(clipped, "Content-Range"), "bytes 990-999/1000");
  auto suffix = plan_file(1000, tag, ask("bytes=-10"));
  EXPECT_EQ(suffix.offset, 990u);
  EXPECT_EQ(suffix.length, 10u);
}

TEST(FilePlan, UnsatisfiableAndIgnoredRanges) {
  auto past = plan_file(1000, "", ask("bytes=1000-"));
  EXPECT_EQ(past.status, 416u);
  EXPECT_EQ(header(past, "Content-Range"), "bytes */1000");
  EXPECT_EQ(plan_file(0, "", ask("bytes=0-")).status, 416u);
  EXPECT_EQ(plan_file(1000, "", ask("bytes=-0")).status, 416u);
  for (const char* ignored : {"bytes=0-1,5-6", "items=0-1", "bytes=5-1", "bytes=x-", "bytes=1-2-3"})
    EXPECT_EQ(plan_file(1000, "", ask(ignored)).status, 200u) << ignored;
}

TEST(FilePlan, ConditionalRequests) {
  const std::string tag = "\"abc\"";
  EXPECT_EQ(plan_file(10, tag, ask({}, {}, "\"abc\"")).status, 304u);
  EXPECT_EQ(plan_file(10, tag, ask({}, {}, "\"x\", W/\"abc\"")).status, 304u);
  EXPECT_EQ(plan_file(10, tag, ask({}, {}, "*")).status, 304u);
  EXPECT_EQ(plan_file(10, tag, ask({}, {}, "\"other\"")).status, 200u);
  EXPECT_EQ(plan_file(10, tag, ask("bytes=2-", "\"abc\"")).status, 206u);
  EXPECT_EQ(plan_file(10, tag, ask("bytes=2-", "\"old\"")).status, 200u);
  EXPECT_EQ(plan_file(10, tag, ask("bytes=2-", "Fri, 04 Dec 2026 10:00:00 GMT")).status, 200u);
}

}  // namespace
}  // namespace edgehub::web
