#include "protocol/frame_decoder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace edgehub::protocol {
namespace {

constexpr Limits kSmall{16, 32};  // small limits make the edges easy to reach

Frame decode(std::string_view in, const Limits& limits = kClientToServer) { return decode_frame(in, limits); }

// Decodes every frame of a complete input, asserting none needs more bytes.
std::vector<Frame> decode_all(std::string_view in, const Limits& limits = kClientToServer) {
  std::vector<Frame> out;
  while (!in.empty()) {
    const Frame f = decode(in, limits);
    EXPECT_NE(f.kind, FrameKind::NeedMore) << "stuck at: " << in;
    if (f.kind == FrameKind::NeedMore || f.fatal()) return out;
    out.push_back(f);
    in.remove_prefix(f.consumed);
  }
  return out;
}

TEST(FrameDecoder, EmptyInputNeedsMore) {
  EXPECT_EQ(decode("").kind, FrameKind::NeedMore);
  EXPECT_EQ(decode("").consumed, 0u);
}

TEST(FrameDecoder, OneLine) {
  const Frame f = decode("AED\n");
  EXPECT_EQ(f.kind, FrameKind::Line);
  EXPECT_EQ(f.payload, "AED");
  EXPECT_EQ(f.consumed, 4u);
  EXPECT_EQ(f.error, FrameError::None);
}

TEST(FrameDecoder, CrLfDropsTheCarriageReturn) {
  const Frame f = decode("login alice wonder1and\r\n");
  EXPECT_EQ(f.kind, FrameKind::Line);
  EXPECT_EQ(f.payload, "login alice wonder1and");
  EXPECT_EQ(f.consumed, 24u);
}

TEST(FrameDecoder, EmptyLineIsALine) {
  const Frame f = decode("\nAED\n");
  EXPECT_EQ(f.kind, FrameKind::Line);
  EXPECT_EQ(f.payload, "");
  EXPECT_EQ(f.consumed, 1u);
  const Frame crlf = decode("\r\n");
  EXPECT_EQ(crlf.kind, FrameKind::Line);
  EXPECT_EQ(crlf.payload, "");
  EXPECT_EQ(crlf.consumed, 2u);
}

TEST(FrameDecoder, SeveralLinesOneAtATime) {
  const auto frames = decode_all("a\nbb\r\nccc\n");
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].payload, "a");
  EXPECT_EQ(frames[1].payload, "bb");
  EXPECT_EQ(frames[2].payload, "ccc");
}

TEST(FrameDecoder, TabAndUtf8AreFine) {
  const Frame f = decode("echo caf\xC3\xA9\t\xE2\x82\xAC \xF0\x9F\x98\x80\n");
  EXPECT_EQ(f.kind, FrameKind::Line);
  EXPECT_EQ(f.payload, "echo caf\xC3\xA9\t\xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(FrameDecoder, Block) {
  const std::string in = std::string("$5\nab\ncd", 8) + "AED\n";
  const Frame f = decode(in);
  EXPECT_EQ(f.kind, FrameKind::Block);
  EXPECT_EQ(f.payload, "ab\ncd");
  EXPECT_EQ(f.consumed, 8u);
  const Frame next = decode(std::string_view(in).substr(f.consumed));
  EXPECT_EQ(next.kind, FrameKind::Line);
  EXPECT_EQ(next.payload, "AED");
}

TEST(FrameDecoder, BlockCarriesAnyBytes) {
  const std::string bytes("\0\x01\xff\r\n$9\n", 9);
  const std::string in = "$9\n" + bytes;
  const Frame f = decode(in);
  ASSERT_EQ(f.kind, FrameKind::Block);
  EXPECT_EQ(f.payload, bytes);
  EXPECT_EQ(f.consumed, in.size());
}

TEST(FrameDecoder, BlockHeaderWithCrLf) {
  const Frame f = decode("$3\r\nxyz");
  EXPECT_EQ(f.kind, FrameKind::Block);
  EXPECT_EQ(f.payload, "xyz");
  EXPECT_EQ(f.consumed, 7u);
}

TEST(FrameDecoder, EmptyBlockEndsAStream) {
  const Frame f = decode("$0\n");
  EXPECT_EQ(f.kind, FrameKind::Block);
  EXPECT_TRUE(f.payload.empty());
  EXPECT_EQ(f.consumed, 3u);
}

TEST(FrameDecoder, BlockAtExactlyTheLimit) {
  const std::string in = "$32\n" + std::string(32, 'x');
  const Frame f = decode(in, kSmall);
  EXPECT_EQ(f.kind, FrameKind::Block);
  EXPECT_EQ(f.payload.size(), 32u);
}

// Every proper prefix of a valid stream of frames must say NeedMore and
// consume nothing; the whole frame must then decode to the same thing.
TEST(FrameDecoder, NeedMoreAtEverySplitPoint) {
  const std::vector<std::string> frames = {
      "login alice wonder1and\n", "AED\r\n", "\n", "$5\nab\ncd", "$0\n", "$2\r\n\r\n", "echo \xE2\x82\xAC\n"};
  for (const auto& whole : frames) {
    for (std::size_t cut = 0; cut < whole.size(); ++cut) {
      const Frame part = decode(std::string_view(whole).substr(0, cut));
      EXPECT_EQ(part.kind, FrameKind::NeedMore) << "frame " << whole << " cut at " << cut;
      EXPECT_EQ(part.consumed, 0u);
    }
    const Frame full = decode(whole);
    EXPECT_TRUE(full.kind == FrameKind::Line || full.kind == FrameKind::Block) << whole;
    EXPECT_EQ(full.consumed, whole.size()) << whole;
  }
}

TEST(FrameDecoder, ByteByByteFeedingGivesTheSameFrames) {
  const std::string stream = std::string("help\r\n$3\n\0\n\x7f", 12) + "OUT\n";
  std::string buffer;
  std::vector<std::string> got;
  for (char c : stream) {
    buffer.push_back(c);
    const Frame f = decode(buffer);
    if (f.kind == FrameKind::NeedMore) continue;
    ASSERT_NE(f.kind, FrameKind::Error);
    got.emplace_back(f.payload);
    buffer.erase(0, f.consumed);
  }
  EXPECT_TRUE(buffer.empty());
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], "help");
  EXPECT_EQ(got[1], std::string("\0\n\x7f", 3));
  EXPECT_EQ(got[2], "OUT");
}

TEST(FrameDecoder, LineAtExactlyTheLimitIsAccepted) {
  const std::string line(16, 'a');
  EXPECT_EQ(decode(line + "\n", kSmall).kind, FrameKind::Line);
  EXPECT_EQ(decode(line + "\r\n", kSmall).kind, FrameKind::Line);
  // Still waiting: the "\r" of a CRLF may be next.
  EXPECT_EQ(decode(line + "\r", kSmall).kind, FrameKind::NeedMore);
}

TEST(FrameDecoder, LineTooLongWithNewline) {
  const Frame f = decode(std::string(17, 'a') + "\n", kSmall);
  EXPECT_EQ(f.kind, FrameKind::Error);
  EXPECT_EQ(f.error, FrameError::LineTooLong);
  EXPECT_TRUE(f.fatal());
}

TEST(FrameDecoder, LineTooLongWithoutNewlineIsSeenEarly) {
  // No need to wait for the newline: past the limit, the stream is lost.
  const Frame f = decode(std::string(18, 'a'), kSmall);
  EXPECT_EQ(f.kind, FrameKind::Error);
  EXPECT_EQ(f.error, FrameError::LineTooLong);
  EXPECT_TRUE(f.fatal());
  const Frame big = decode(std::string(5000, 'x'));
  EXPECT_EQ(big.error, FrameError::LineTooLong);
}

TEST(FrameDecoder, DefaultLineLimitIs4096) {
  EXPECT_EQ(decode(std::string(4096, 'a') + "\n").kind, FrameKind::Line);
  EXPECT_EQ(decode(std::string(4097, 'a') + "\n").error, FrameError::LineTooLong);
}

TEST(FrameDecoder, BadUtf8SkipsTheLineOnly) {
  for (const std::string bad : {"\xC3\n", "\xC0\xAF\n", "\xED\xA0\x80\n", "\xF5\x80\x80\x80\n", "ab\xFF\n",
                                "\xE2\x82\n", "\xF4\x90\x80\x80\n", "\x80\n"}) {
    const Frame f = decode(bad + "AED\n");
    EXPECT_EQ(f.kind, FrameKind::Error) << bad;
    EXPECT_EQ(f.error, FrameError::BadUtf8) << bad;
    EXPECT_FALSE(f.fatal());
    EXPECT_EQ(f.consumed, bad.size()) << "must skip exactly the bad line";
  }
}

TEST(FrameDecoder, ControlCharsSkipTheLineOnly) {
  for (const std::string& bad : {std::string("a\0b\n", 4), std::string("\x1b[2J\n"), std::string("x\x7f\n"),
                                 std::string("bell\a\n"), std::string("cr\rin middle\n")}) {
    const Frame f = decode(bad);
    EXPECT_EQ(f.kind, FrameKind::Error) << bad;
    EXPECT_EQ(f.error, FrameError::ControlChar) << bad;
    EXPECT_FALSE(f.fatal());
    EXPECT_EQ(f.consumed, bad.size());
  }
}

TEST(FrameDecoder, BadBlockHeaders) {
  for (const std::string bad :
       {"$\n", "$x\n", "$12a\n", "$-1\n", "$ 5\n", "$+5\n", "$5 \n", "$\r\n", "$12345678901\n"}) {
    const Frame f = decode(bad + "rest");
    EXPECT_EQ(f.kind, FrameKind::Error) << bad;
    EXPECT_EQ(f.error, FrameError::BadBlockHeader) << bad;
    EXPECT_TRUE(f.fatal());
  }
}

TEST(FrameDecoder, BlockHeaderWithoutNewlineFailsOnceTooLong) {
  EXPECT_EQ(decode("$1234567890").kind, FrameKind::NeedMore);
  const Frame f = decode("$123456789012345");
  EXPECT_EQ(f.error, FrameError::BadBlockHeader);
  EXPECT_TRUE(f.fatal());
}

TEST(FrameDecoder, BlockTooLarge) {
  const Frame f = decode("$33\n", kSmall);
  EXPECT_EQ(f.kind, FrameKind::Error);
  EXPECT_EQ(f.error, FrameError::BlockTooLarge);
  EXPECT_TRUE(f.fatal());
  // Refused from the header alone, before any payload arrives.
  EXPECT_EQ(decode("$999999999\n").error, FrameError::BlockTooLarge);
  EXPECT_EQ(decode("$9999999999\n").error, FrameError::BlockTooLarge);
  EXPECT_EQ(decode("$1048577\n").error, FrameError::BlockTooLarge);
  EXPECT_EQ(decode("$1048576\n").kind, FrameKind::NeedMore);
}

TEST(FrameDecoder, DescribeIsHumanText) {
  for (auto e : {FrameError::LineTooLong, FrameError::BadUtf8, FrameError::ControlChar, FrameError::BadBlockHeader,
                 FrameError::BlockTooLarge}) {
    EXPECT_FALSE(describe(e).empty());
    EXPECT_EQ(describe(e).find('\n'), std::string_view::npos);
  }
  EXPECT_NE(describe(FrameError::LineTooLong), describe(FrameError::BadUtf8));
}

}  // namespace
}  // namespace edgehub::protocol
