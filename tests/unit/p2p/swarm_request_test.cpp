// Swarm requests between two real UdpEndpoints on loopback in one process
// (docs/UDP.md#13-swarm-requests): a request served as a ranged transfer into
// a PartFile, a refusal, an unknown ticket, a lying seeder, a lost request,
// a deferred answer and a cancelled request.
#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>

#include <optional>
#include <set>

#include "p2p/swarm/part_file.hpp"
#include "p2p/swarm/range_source.hpp"
#include "p2p/udp_endpoint.hpp"
#include "unit/p2p/swarm/swarm_files.hpp"
#include "unit/p2p/test_keys.hpp"

namespace edgehub::p2p {
namespace {

using namespace swarm::testing;
using swarm::PartFile;

// A seeder whose bytes at one offset are wrong: a lying peer.
class CorruptSource : public ChunkSource {
 public:
  CorruptSource(std::unique_ptr<ChunkSource> inner, std::uint64_t bad_offset)
      : inner_(std::move(inner)), bad_(bad_offset) {}
  std::uint64_t size() const override { return inner_->size(); }
  void read(std::uint64_t offset, std::span<std::uint8_t> out) override {
    inner_->read(offset, out);
    if (bad_ >= offset && bad_ < offset + out.size()) out[bad_ - offset] ^= 0x5A;
  }

 private:
  std::unique_ptr<ChunkSource> inner_;
  std::uint64_t bad_;
};

udp::socket loopback_socket(boost::asio::io_context& io, bool ipv6) {
  if (ipv6) return udp::socket(io, udp::endpoint(boost::asio::ip::address_v6::loopback(), 0));
  return udp::socket(io, udp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
}

class SwarmRequestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (ipv6_) {
      boost::system::error_code ec;
      udp::socket probe(io_);
      if (probe.open(udp::v6(), ec); !ec) probe.bind(udp::endpoint(boost::asio::ip::address_v6::loopback(), 0), ec);
      if (ec) GTEST_SKIP() << "no IPv6 loopback here: " << ec.message();
    }
    write_file(shared_, file_);
    EndpointOptions seeder_options;
    seeder_options.request_handler = [this](const ChunkRequest& r) { return handle(r); };
    seeder_options.keys = [this](std::string_view ticket) { return std::optional(keys_.responder(ticket)); };
    seeder_.emplace(loopback_socket(io_, ipv6_), std::move(seeder_options));
    EndpointOptions downloader_options;
    downloader_options.read_coalesce = read_coalesce_;
    downloader_.emplace(loopback_socket(io_, ipv6_), std::move(downloader_options));
    seeder_->start();
    downloader_->start();
    part_ = PartFile::open(dir_.path(), "movie.bin", manifest_);
  }

  // The seeder's policy; tests change `policy_`.
  RequestDecision handle(const ChunkRequest& r) {
    requests_seen_.push_back(r);
    if (policy_) return policy_(r);
    return serve(r);
  }
  RequestDecision serve(const ChunkRequest& r) {
    if (r.ticket != "good-ticket") return RequestDecision::refuse("no such ticket");
    return RequestDecision::serve(
        swarm::RangeSource::for_chunks(shared_, swarm::stamp_of(shared_), manifest_, r.first_chunk, r.count),
        [this](const SendResult& s) { uploads_.push_back(s); });
  }

  // Sends a request for chunks into the part file and runs until its outcome.
  RequestResult fetch(std::uint32_t first, std::uint32_t count, std::string ticket = "good-ticket",
                      std::chrono::milliseconds give_up = std::chrono::milliseconds(5000)) {
    std::optional<RequestResult> result;
    start(first, count, std::move(ticket), give_up, [&](const RequestResult& r) { result = r; });
    run_until([&] { return result.has_value(); });
    return result.value_or(RequestResult{0, false, false, "test timed out", 0, 0});
  }
  std::uint32_t start(std::uint32_t first, std::uint32_t count, std::string ticket, std::chrono::milliseconds give_up,
                      RequestCallback done) {
    ChunkRequest req{std::move(ticket), manifest_.root, first, count, {}, 0, {}};
    RequestOptions options;
    options.keys = keys_.initiator(req.ticket);
    options.give_up = give_up;
    options.expected_bytes = chunk_bytes(file_, manifest_, first, count).size();
    options.make_sink = [this, first, count](const IncomingInfo& info) {
      chunk_size_seen_ = info.chunk_size;
      return part_->chunk_sink(
          first, count, [this](std::uint32_t c) { verified_.insert(c); }, [this](std::uint32_t c) { bad_.insert(c); });
    };
    return downloader_->send_request(seeder_->local_endpoint(), std::move(req), std::move(done), std::move(options));
  }
  // Runs the event loop until pred() holds; a generous bound turns a hang into a failure.
  template <class Pred>
  void run_until(Pred pred) {
    const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!pred() && std::chrono::steady_clock::now() < limit) io_.run_one_for(std::chrono::milliseconds(100));
    EXPECT_TRUE(pred()) << "timed out";
  }

  bool ipv6_ = false;  // the endpoints on ::1 instead of 127.0.0.1
  std::uint16_t chunk_size_seen_ = 0;
  boost::asio::io_context io_;
  testing::TestKeys keys_;
  std::chrono::microseconds read_coalesce_{0};
  TempDir dir_;
  std::filesystem::path shared_ = dir_.path() / "shared.bin";
  std::vector<std::uint8_t> file_ = random_bytes(40 * swarm::kMinChunkSize + 333, 7);  // 41 chunks
  swarm::Manifest manifest_ = manifest_of(file_);
  std::optional<UdpEndpoint> seeder_, downloader_;
  std::shared_ptr<PartFile> part_;
  std::function<RequestDecision(const ChunkRequest&)> policy_;
  std::vector<ChunkRequest> requests_seen_;
  std::vector<SendResult> uploads_;
  std::set<std::uint32_t> verified_, bad_;
};

// Sealed DATA of 1432 bytes makes a 1472-byte UDP payload: 1500 with
// IPv4's 20-byte header, but 1520 with IPv6's 40, over a 1500-byte MTU.
TEST_F(SwarmRequestTest, ToAnIpv4PeerTheDatagramsFillA1500ByteMtu) {
  ASSERT_TRUE(fetch(0, 2).ok);
  EXPECT_EQ(chunk_size_seen_, 1432);
}

class SwarmRequestIpv6Test : public SwarmRequestTest {
 protected:
  SwarmRequestIpv6Test() { ipv6_ = true; }
};

TEST_F(SwarmRequestIpv6Test, ToAnIpv6PeerTheDatagramsFitA1500ByteMtu) {
  const auto r = fetch(0, 2);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(chunk_size_seen_, 1412);
  EXPECT_EQ(verified_.size(), 2u);
}

TEST_F(SwarmRequestTest, ARequestIsServedAsARangedTransferIntoThePartFile) {
  auto r = fetch(3, 10);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.bytes, 10u * swarm::kMinChunkSize);
  EXPECT_EQ(verified_.size(), 10u);
  EXPECT_EQ(*verified_.begin(), 3u);
  EXPECT_EQ(part_->have().count(), 10u);
  ASSERT_EQ(requests_seen_.size(), 1u);
  EXPECT_EQ(requests_seen_[0].root, manifest_.root);
  EXPECT_EQ(requests_seen_[0].from, downloader_->local_endpoint());
  EXPECT_EQ(seeder_->counters().requests_served, 1u);
  // The rest, including the short last chunk, then the whole file.
  ASSERT_TRUE(fetch(0, 3).ok);
  ASSERT_TRUE(fetch(13, 28).ok);
  run_until([&] { return uploads_.size() == 3; });
  for (const auto& u : uploads_) EXPECT_TRUE(u.ok) << u.error;
  EXPECT_EQ(uploads_[0].file_name, swarm_transfer_name(manifest_.root, 3, 10));
  part_->finish();
  EXPECT_EQ(read_file(dir_.path() / "movie.bin"), file_);
  EXPECT_EQ(downloader_->counters().incoming_completed, 3u);
}

TEST_F(SwarmRequestTest, ARefusalEndsTheRequestWithTheSeedersText) {
  auto r = fetch(0, 2, "stolen-ticket");
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.refused);
  EXPECT_NE(r.error.find("no such ticket"), std::string::npos) << r.error;
  EXPECT_EQ(seeder_->counters().requests_refused, 1u);
  EXPECT_EQ(part_->have().count(), 0u);
}

TEST_F(SwarmRequestTest, AnUnknownTicketIsIgnoredAndTheRequestGivesUp) {
  policy_ = [](const ChunkRequest&) { return RequestDecision::ignore(); };
  auto r = fetch(0, 2, "good-ticket", std::chrono::milliseconds(1000));
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.refused);
  EXPECT_NE(r.error.find("no answer"), std::string::npos) << r.error;
  EXPECT_GE(seeder_->counters().requests_ignored, 1u);
  EXPECT_EQ(seeder_->counters().requests_ignored, seeder_->counters().requests_received);
  EXPECT_EQ(seeder_->counters().datagrams_sent, 0u);  // never a reply
}

TEST_F(SwarmRequestTest, ALyingSeederIsCaughtAtTheBadChunk) {
  policy_ = [this](const ChunkRequest& r) {
    auto d = serve(r);
    auto bad_offset = manifest_.chunk_offset(6) - manifest_.chunk_offset(r.first_chunk) + 100;
    d.source = std::make_unique<CorruptSource>(std::move(d.source), bad_offset);
    return d;
  };
  auto r = fetch(4, 5);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("chunk 6"), std::string::npos) << r.error;
  EXPECT_EQ(bad_, std::set<std::uint32_t>{6});
  EXPECT_EQ(verified_, (std::set<std::uint32_t>{4, 5}));
  EXPECT_FALSE(part_->have().test(6));
  run_until([&] { return uploads_.size() == 1; });
  EXPECT_FALSE(uploads_[0].ok);  // the seeder learns that its transfer was aborted
}

TEST_F(SwarmRequestTest, ALostRequestIsRepeated) {
  policy_ = [this](const ChunkRequest& r) {
    if (requests_seen_.size() == 1) return RequestDecision::ignore();  // as if the first never arrived
    return serve(r);
  };
  auto r = fetch(0, 4);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(requests_seen_.size(), 2u);
  EXPECT_EQ(requests_seen_[0].id, requests_seen_[1].id);  // the same request, repeated
  EXPECT_EQ(part_->have().count(), 4u);
}

TEST_F(SwarmRequestTest, ADeferredRequestIsServedWhenAnswered) {
  std::optional<ChunkRequest> waiting;
  policy_ = [&](const ChunkRequest& r) {
    waiting = r;
    return RequestDecision::defer();
  };
  std::optional<RequestResult> result;
  start(10, 3, "good-ticket", std::chrono::milliseconds(5000), [&](const RequestResult& r) { result = r; });
  run_until([&] { return waiting.has_value() && seeder_->counters().requests_received >= 2; });
  EXPECT_EQ(requests_seen_.size(), 1u);  // repeats of a deferred request do not ask again
  seeder_->answer_request(*waiting, serve(*waiting));
  run_until([&] { return result.has_value(); });
  ASSERT_TRUE(result && result->ok) << (result ? result->error : "");
  EXPECT_EQ(part_->have().count(), 3u);
}

TEST_F(SwarmRequestTest, ACancelledRequestReportsOnceAndALateSynIsRefused) {
  std::optional<ChunkRequest> waiting;
  policy_ = [&](const ChunkRequest& r) {
    waiting = r;
    return RequestDecision::defer();
  };
  int calls = 0;
  RequestResult result;
  auto id = start(0, 2, "good-ticket", std::chrono::milliseconds(5000), [&](const RequestResult& r) {
    ++calls;
    result = r;
  });
  run_until([&] { return waiting.has_value(); });
  downloader_->cancel_request(id);
  EXPECT_EQ(calls, 0);  // never from inside cancel_request
  run_until([&] { return calls == 1; });
  EXPECT_FALSE(result.ok);
  seeder_->answer_request(*waiting, serve(*waiting));
  run_until([&] { return uploads_.size() == 1; });
  EXPECT_FALSE(uploads_[0].ok);
  EXPECT_EQ(downloader_->counters().rejected_handshakes, 1u);
  EXPECT_EQ(calls, 1);
  // Answering again (no longer deferred) still reports the upload's end, so slots are not lost.
  seeder_->answer_request(*waiting, serve(*waiting));
  EXPECT_EQ(uploads_.size(), 1u);
  run_until([&] { return uploads_.size() == 2; });
  EXPECT_FALSE(uploads_[1].ok);
  EXPECT_EQ(seeder_->counters().requests_served, 1u);
}

TEST_F(SwarmRequestTest, ARunningTransferCanBeCancelledFromItsOwnChunkCallback) {
  std::optional<RequestResult> result;
  std::uint32_t id = 0;
  ChunkRequest req{"good-ticket", manifest_.root, 0, 41, {}, 0, {}};
  RequestOptions options;
  options.keys = keys_.initiator(req.ticket);
  options.make_sink = [&](const IncomingInfo&) {
    return part_->chunk_sink(0, 41, [&](std::uint32_t) { downloader_->cancel_request(id); }, {});
  };
  id = downloader_->send_request(
      seeder_->local_endpoint(), req, [&](const RequestResult& r) { result = r; }, std::move(options));
  run_until([&] { return result.has_value(); });
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->ok);
  EXPECT_NE(result->error.find("cancelled"), std::string::npos) << result->error;
  EXPECT_GE(part_->have().count(), 1u);  // what was verified stays
  EXPECT_LT(part_->have().count(), 41u);
  run_until([&] { return uploads_.size() == 1; });
  EXPECT_FALSE(uploads_[0].ok);  // the seeder was told
}

// The same download with the downloader reading in coalesced batches.
class SwarmRequestCoalescedTest : public SwarmRequestTest {
 protected:
  void SetUp() override {
    read_coalesce_ = std::chrono::microseconds(1000);
    SwarmRequestTest::SetUp();
  }
};

TEST_F(SwarmRequestCoalescedTest, AWholeFileArrivesWithCoalescedReads) {
  ASSERT_TRUE(fetch(0, 20).ok);
  ASSERT_TRUE(fetch(20, 21).ok);
  part_->finish();
  EXPECT_EQ(read_file(dir_.path() / "movie.bin"), file_);
  // The endpoint still goes back to waiting for readiness when idle: a late request is answered.
  ASSERT_TRUE(fetch(5, 2).ok);
}

}  // namespace
}  // namespace edgehub::p2p
