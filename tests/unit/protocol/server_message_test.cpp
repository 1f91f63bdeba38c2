#include "protocol/server_message.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "protocol/reply.hpp"

namespace edgehub::protocol {
namespace {

using Kind = ServerMessage::Kind;

std::vector<ServerMessage> drain(ServerMessageParser& p) {
  std::vector<ServerMessage> out;
  while (auto m = p.next()) out.push_back(std::move(*m));
  return out;
}

std::vector<ServerMessage> parse_all(std::string_view bytes) {
  ServerMessageParser p;
  p.feed(bytes);
  auto out = drain(p);
  EXPECT_EQ(p.error(), "") << "while parsing: " << bytes;
  return out;
}

TEST(ServerMessage, Ok) {
  const auto m = parse_all("+OK Welcome to edgehub, alice!\n");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].kind, Kind::Ok);
  EXPECT_EQ(m[0].text, "Welcome to edgehub, alice!");
  EXPECT_TRUE(m[0].is_reply());
}

TEST(ServerMessage, BareOk) {
  const auto m = parse_all("+OK\n");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].kind, Kind::Ok);
  EXPECT_EQ(m[0].text, "");
}

TEST(ServerMessage, ErrorsCarryTheirCode) {
  const auto m = parse_all("-ERR 401 Invalid username or password. Please try again\n-ERR 423 blocked\r\n");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].kind, Kind::Err);
  EXPECT_EQ(m[0].code, 401);
  EXPECT_EQ(m[0].text, "Invalid username or password. Please try again");
  EXPECT_EQ(m[1].code, 423);
  EXPECT_EQ(m[1].text, "blocked");
}

TEST(ServerMessage, MalformedErrorCodeIsAnError) {
  for (const char* bad : {"-ERR abc text\n", "-ERR 99 text\n", "-ERR 1000 x\n", "-ERR\n"}) {
    ServerMessageParser p;
    p.feed(bad);
    EXPECT_FALSE(p.next().has_value()) << bad;
    EXPECT_NE(p.error(), "") << bad;
  }
}

TEST(ServerMessage, EventsAreNotReplies) {
  const auto m = parse_all("!LOGIN bob\n!LOGOUT bob\n!PING\n!BYE Server shutting down\n");
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[0].kind, Kind::Event);
  EXPECT_FALSE(m[0].is_reply());
  EXPECT_EQ(m[0].name, "LOGIN");
  EXPECT_EQ(m[0].text, "bob");
  EXPECT_EQ(m[1].name, "LOGOUT");
  EXPECT_EQ(m[2].name, "PING");
  EXPECT_EQ(m[2].text, "");
  EXPECT_EQ(m[3].name, "BYE");
  EXPECT_EQ(m[3].text, "Server shutting down");
}

TEST(ServerMessage, List) {
  const auto m = parse_all("*2 2 other active edge devices\nbob, 127.0.0.1, 6101, x\ncarol, 127.0.0.1, -, y\n+OK\n");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].kind, Kind::List);
  EXPECT_EQ(m[0].text, "2 other active edge devices");
  ASSERT_EQ(m[0].lines.size(), 2u);
  EXPECT_EQ(m[0].lines[0], "bob, 127.0.0.1, 6101, x");
  EXPECT_EQ(m[0].lines[1], "carol, 127.0.0.1, -, y");
  EXPECT_EQ(m[1].kind, Kind::Ok);
}

TEST(ServerMessage, ListLinesAreTakenVerbatim) {
  // Inside a list, a line that looks like a status line is still data.
  const auto m = parse_all("*3 tricky\n+OK not a reply\n!LOGIN not an event\n\n");
  ASSERT_EQ(m.size(), 1u);
  ASSERT_EQ(m[0].lines.size(), 3u);
  EXPECT_EQ(m[0].lines[0], "+OK not a reply");
  EXPECT_EQ(m[0].lines[1], "!LOGIN not an event");
  EXPECT_EQ(m[0].lines[2], "");
}

TEST(ServerMessage, EmptyList) {
  const auto m = parse_all("*0 nothing\n");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].kind, Kind::List);
  EXPECT_TRUE(m[0].lines.empty());
}

TEST(ServerMessage, ListSplitAcrossFeedsAtEveryByte) {
  const std::string wire = encode_list("3 things", {"one", "two two", "three"}) + encode_event("LOGIN", "dave");
  for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
    ServerMessageParser p;
    p.feed(std::string_view(wire).substr(0, cut));
    auto got = drain(p);
    p.feed(std::string_view(wire).substr(cut));
    for (auto& m : drain(p)) got.push_back(std::move(m));
    ASSERT_EQ(p.error(), "") << "cut " << cut;
    ASSERT_EQ(got.size(), 2u) << "cut " << cut;
    EXPECT_EQ(got[0].kind, Kind::List);
    ASSERT_EQ(got[0].lines.size(), 3u);
    EXPECT_EQ(got[0].lines[1], "two two");
    EXPECT_EQ(got[1].kind, Kind::Event);
    EXPECT_EQ(got[1].text, "dave");
    EXPECT_EQ(p.buffered(), 0u);
  }
}

TEST(ServerMessage, ByteAtATime) {
  const std::string wire = "+OK a\n*1 s\nx\n$3\nb\nc-ERR 404 no\n!MSG bob: hi\n";
  ServerMessageParser p;
  std::vector<ServerMessage> got;
  for (char c : wire) {
    p.feed(std::string_view(&c, 1));
    for (auto& m : drain(p)) got.push_back(std::move(m));
  }
  EXPECT_EQ(p.error(), "");
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[0].kind, Kind::Ok);
  EXPECT_EQ(got[1].kind, Kind::List);
  EXPECT_EQ(got[2].kind, Kind::Block);
  EXPECT_EQ(got[2].data, "b\nc");
  EXPECT_TRUE(got[2].is_reply());
  EXPECT_EQ(got[3].kind, Kind::Err);
  EXPECT_EQ(got[3].code, 404);
  EXPECT_EQ(got[4].name, "MSG");
  EXPECT_EQ(got[4].text, "bob: hi");
}

TEST(ServerMessage, BlankLinesBetweenMessagesAreIgnored) {
  const auto m = parse_all("\n+OK x\n\n\n+OK y\n");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[1].text, "y");
}

TEST(ServerMessage, GarbageLineStopsTheParser) {
  ServerMessageParser p;
  p.feed("+OK first\nHTTP/1.1 200 OK\n+OK never\n");
  const auto first = p.next();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->text, "first");
  EXPECT_FALSE(p.next().has_value());
  EXPECT_NE(p.error().find("unexpected line"), std::string::npos);
  // Stays stopped, even with more (valid) input.
  p.feed("+OK later\n");
  EXPECT_FALSE(p.next().has_value());
}

TEST(ServerMessage, FramingErrorStopsTheParser) {
  ServerMessageParser p(Limits{8, 8});
  p.feed("$99\nxxxx");
  EXPECT_FALSE(p.next().has_value());
  EXPECT_EQ(p.error(), describe(FrameError::BlockTooLarge));
  ServerMessageParser q(Limits{8, 8});
  q.feed("+OK this line is long\n");
  EXPECT_FALSE(q.next().has_value());
  EXPECT_EQ(q.error(), describe(FrameError::LineTooLong));
}

TEST(ServerMessage, HugeListCountIsRefused) {
  ServerMessageParser p;
  p.feed("*99999999999 lies\n");
  EXPECT_FALSE(p.next().has_value());
  EXPECT_NE(p.error(), "");
}

TEST(ServerMessage, ParseStatusLine) {
  std::size_t n = 99;
  auto m = parse_status_line("*7 seven", n);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(n, 7u);
  EXPECT_EQ(m->text, "seven");
  n = 99;
  EXPECT_TRUE(parse_status_line("+OK", n).has_value());
  EXPECT_EQ(n, 0u);
  EXPECT_FALSE(parse_status_line("", n).has_value());
  EXPECT_FALSE(parse_status_line("!", n).has_value());
  EXPECT_FALSE(parse_status_line("*", n).has_value());
  EXPECT_FALSE(parse_status_line("*-1 x", n).has_value());
  EXPECT_FALSE(parse_status_line("OK", n).has_value());
}

TEST(Reply, EncodingsAreSingleLines) {
  EXPECT_EQ(encode_ok("hi"), "+OK hi\n");
  EXPECT_EQ(encode_ok(""), "+OK\n");
  EXPECT_EQ(encode_err(StatusCode::NotFound, "no such\nfile"), "-ERR 404 no such file\n");
  EXPECT_EQ(encode_event("LOGIN", "bob\r"), "!LOGIN bob \n");
  EXPECT_EQ(encode_list("2 x", {"a\nb", "c"}), "*2 2 x\na b\nc\n");
  EXPECT_EQ(encode_block_header(1048576), "$1048576\n");
}

TEST(Reply, RoundTripThroughTheParser) {
  const auto m = parse_all(encode_err(StatusCode::AccountBlocked, "locked") + encode_list("s", {"l1"}) +
                           encode_block_header(2) + "\r\n");
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].code, 423);
  EXPECT_EQ(m[1].lines.at(0), "l1");
  EXPECT_EQ(m[2].data, "\r\n");
}

// Streaming a block's payload past the parser, as the client's downloads
// do: the header is taken, the buffered part of the payload handed out,
// and whatever follows the payload parses as usual.
TEST(ServerMessage, TakeBlockHeaderStreamsThePayload) {
  ServerMessageParser p;
  p.feed("+OK 10 x\n$10\nabcd");
  auto ok = p.next();
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->kind, Kind::Ok);
  EXPECT_EQ(p.take_block_header(), std::optional<std::size_t>(10));
  EXPECT_EQ(p.take_buffered(10), "abcd");
  EXPECT_EQ(p.buffered(), 0u);
  // The other six bytes were read "from the socket" by the caller.
  p.feed("$0\n!LOGIN bob\n");
  EXPECT_FALSE(p.take_block_header());  // "$0" is an ordinary message
  const auto rest = drain(p);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].kind, Kind::Block);
  EXPECT_EQ(rest[0].data, "");
  EXPECT_EQ(rest[1].kind, Kind::Event);
  EXPECT_EQ(p.error(), "");
}

TEST(ServerMessage, TakeBufferedStopsAtTheRequestedLength) {
  ServerMessageParser p;
  p.feed("$3\nabc$2\nde");
  ASSERT_EQ(p.take_block_header(), std::optional<std::size_t>(3));
  EXPECT_EQ(p.take_buffered(3), "abc");
  ASSERT_EQ(p.take_block_header(), std::optional<std::size_t>(2));
  EXPECT_EQ(p.take_buffered(5), "de");
}

TEST(ServerMessage, TakeBlockHeaderLeavesEverythingElseToNext) {
  for (const std::string_view input : {"+OK\n", "$", "$12", "$x\n", "$99999999999\n", ""}) {
    ServerMessageParser p(Limits{4096, 1 << 20});
    p.feed(input);
    EXPECT_FALSE(p.take_block_header()) << input;
    EXPECT_EQ(p.buffered(), input.size()) << input;
  }
  ServerMessageParser too_large(Limits{4096, 16});
  too_large.feed("$17\n");
  EXPECT_FALSE(too_large.take_block_header());
  EXPECT_FALSE(too_large.next());
  EXPECT_EQ(too_large.error(), "block too large");
}

TEST(ServerMessage, NoBlockHeaderIsTakenInsideAList) {
  ServerMessageParser p;
  p.feed("*2 files\na 1\n");
  EXPECT_FALSE(p.next());  // the list waits for its second line
  p.feed("$1\nx");
  EXPECT_FALSE(p.take_block_header());
}

}  // namespace
}  // namespace edgehub::protocol
