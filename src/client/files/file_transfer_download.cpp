#include "client/files/file_transfer_download.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "client/core/client_app.hpp"
#include "client/files/download_sink.hpp"
#include "client/files/file_transfer_names.hpp"
#include "client/shell/progress_bar.hpp"
#include "common/file_names.hpp"
#include "common/sha256.hpp"
#include "common/strings.hpp"

namespace edgehub::client {
namespace {

using Kind = protocol::ServerMessage::Kind;
namespace fs = std::filesystem;

constexpr std::size_t kReadChunk = 1 << 20;
constexpr std::uint64_t kWindow = 16 << 20;  // bytes asked for per get request
constexpr auto kProgressInterval = std::chrono::milliseconds(200);

[[noreturn]] void fail_errno(const std::string& what) { throw std::runtime_error(what + ": " + std::strerror(errno)); }

// What a previous, interrupted get of this name left: the part and the
// SIZE/SHA-256 it belongs to. Anything inconsistent means: start over.
struct Resumable {
  std::uint64_t have = 0;
  GetAnnouncement of;
};

std::optional<Resumable> find_partial(const PartialPaths& paths) {
  std::ifstream info(paths.info);
  std::uint64_t size = 0;
  std::string sha;
  if (!(info >> size >> sha) || !is_sha256_hex(sha)) return std::nullopt;
  std::error_code ec;
  const auto have = fs::file_size(paths.part, ec);
  if (ec || have == 0 || have > size) return std::nullopt;
  return Resumable{have, {size, sha, 0}};
}

// SHA-256 of the first `length` bytes of fd, fed into hash.
void hash_prefix(int fd, std::uint64_t length, Sha256& hash) {
  std::vector<char> buffer(kReadChunk);
  for (std::uint64_t done = 0; done < length;) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), length - done));
    const ssize_t n = ::pread(fd, buffer.data(), want, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail_errno("reading the partial download");
    hash.update(buffer.data(), static_cast<std::size_t>(n));
    done += static_cast<std::uint64_t>(n);
  }
}

class Download {
 public:
  Download(ClientApp& app, std::string name, bool replace, const std::atomic<bool>* stop)
      : app_(app), name_(std::move(name)), replace_(replace), stop_(stop), paths_(partial_paths(name_)) {}
  ~Download();
  Download(const Download&) = delete;
  Download& operator=(const Download&) = delete;
  void run();

 private:
  void request(std::uint64_t offset, const std::string& sha);
  bool accept(const GetAnnouncement& a);
  bool transfer();
  bool stopped() const { return stop_ != nullptr && stop_->load(); }
  bool interrupted();
  bool make_way();
  bool receive_window(ProgressBar& bar);
  std::uint64_t received() const;
  bool next_window();
  bool finish();
  bool lost();
  void drain();
  void discard_blocks();
  void forget_partial();
  void release_sink();
  void close_part();

  ClientApp& app_;
  // The connection's turn, for the whole download; in the background it is
  // given way between windows (docs/FILES.md#using-it). Released last.
  std::unique_lock<std::recursive_mutex> turn_;
  const std::string name_;
  const bool replace_;                   // get NAME -f: a local file NAME may be replaced
  const std::atomic<bool>* const stop_;  // background only: set to stop at the next window
  const PartialPaths paths_;
  std::optional<Resumable> partial_;
  GetAnnouncement file_;
  int fd_ = -1;
  std::shared_ptr<DownloadSink> sink_;  // writes and hashes what arrives
  std::uint64_t pos_ = 0;               // bytes of the file in the part, as of the last "$0"
  std::uint64_t requested_ = 0;         // end of the last window asked for
  int outstanding_ = 0;                 // requests whose reply has not been read
  bool in_window_ = false;              // blocks of a window are still coming
};

// Large files come in windows of kWindow bytes, the next one asked for
// while the current one arrives: the connection stays busy, and the client
// never has more than two windows buffered, however slow its disk.
void Download::request(std::uint64_t offset, const std::string& sha) {
  app_.link().send_line(fmt::format("get {} {} {}{}", name_, offset, kWindow, sha.empty() ? "" : " " + sha));
  requested_ = offset + kWindow;
  ++outstanding_;
}

void Download::run() {
  // An unsafe name still goes to the server, which refuses it, says why and
  // logs the attempt; nothing local is touched for it.
  const auto problem = file_name_problem(name_, kLocalName);
  if (const auto refusal = problem ? std::nullopt : refuse_existing_file(name_, replace_))
    return app_.out().error(*refusal);
  turn_ = app_.link().take_turn();
  if (problem) {
    app_.link().send_line(fmt::format("get {}", name_));
    ++outstanding_;
  } else {
    partial_ = find_partial(paths_);
    sink_ = std::make_shared<DownloadSink>();
    app_.link().set_block_sink(sink_);  // before the request: its bytes may come before we read the reply
    request(partial_ ? partial_->have : 0, partial_ ? partial_->of.sha256 : "");
  }
  const auto reply = app_.link().next_reply();
  --outstanding_;
  if (!reply) return void(lost());
  if (reply->kind == Kind::Err) {
    if (reply->code == 404 && !problem) forget_partial();
    return app_.out().reply(*reply);
  }
  in_window_ = true;
  const auto announced = parse_get_announcement(reply->text);
  if (problem || !announced || reply->kind != Kind::Ok) {
    drain();
    return app_.out().error(fmt::format("get {}: refused locally: {}", name_,
                                        problem ? *problem : "unexpected reply '" + reply->text.substr(0, 80) + "'"));
  }
  bool received = false;
  try {
    received = accept(*announced) && transfer();
  } catch (const std::exception&) {
    drain();  // keeps the next command's reply in step
    throw;
  }
  if (fd_ < 0 || !received) drain();
  if (received) finish();
}

Download::~Download() {
  release_sink();
  close_part();
}

// Opens the part at the offset the server chose, hashing what is kept
// before it.
bool Download::accept(const GetAnnouncement& a) {
  file_ = a;
  const bool resuming = partial_ && a.offset > 0 && a.offset == partial_->have && a.sha256 == partial_->of.sha256 &&
                        a.size == partial_->of.size;
  if (a.offset != 0 && !resuming) {
    app_.out().error(fmt::format(
        "get {}: the server offered to resume at byte {} but this client has no such partial file", name_, a.offset));
    return false;
  }
  std::ofstream(paths_.info, std::ios::trunc) << a.size << ' ' << a.sha256 << '\n';
  fd_ = ::open(paths_.part.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd_ < 0 || ::ftruncate(fd_, static_cast<off_t>(a.offset)) != 0 || ::lseek(fd_, 0, SEEK_END) < 0) {
    app_.out().error(fmt::format("get {}: cannot write {}: {}", name_, paths_.part.string(), std::strerror(errno)));
    close_part();
    return false;
  }
  Sha256 prefix;
  if (resuming) {
    app_.out().info("resume", fmt::format("Resuming {} at byte {} of {}", name_, a.offset, a.size));
    hash_prefix(fd_, a.offset, prefix);
  } else if (partial_) {
    app_.out().info("resume", fmt::format("{} changed on the server: downloading it again from the start", name_));
  }
  sink_->start(fd_, std::move(prefix), a.size - a.offset);
  pos_ = a.offset;
  requested_ = a.offset + kWindow;
  return true;
}

bool Download::transfer() {
  ProgressBar bar(app_.out(), "get " + name_, file_.size);
  for (;;) {
    // The next window is asked for ahead, unless someone waits for the turn.
    const bool ahead = stop_ == nullptr || (!app_.link().turn_wanted() && !stopped());
    if (outstanding_ == 0 && requested_ < file_.size && ahead) request(requested_, file_.sha256);
    if (!receive_window(bar)) return false;
    if (pos_ == file_.size) {
      bar.complete();
      return true;
    }
    if (outstanding_ == 0 && !make_way()) return false;
    if (!next_window()) return false;
  }
}

// Between two windows with nothing outstanding: another thread may have its
// turn now (its replies cannot mix with ours), then we ask for the next.
bool Download::make_way() {
  if (app_.link().turn_wanted()) {
    app_.link().set_block_sink(nullptr);  // its replies may hold blocks too (swarmget)
    app_.link().yield_turn(turn_);
    app_.link().set_block_sink(sink_);
  }
  if (stopped()) return interrupted();
  request(pos_, file_.sha256);
  return true;
}

bool Download::interrupted() {
  app_.out().error(
      fmt::format("get {} interrupted at byte {} of {}; run 'get {}' again to resume", name_, pos_, file_.size, name_));
  return false;
}

// Waits for the "$0" of the window that starts at pos_: its blocks go to
// the sink, which writes and hashes them on other threads. The sink may
// already hold bytes of the next window, so where this one ends comes from
// the protocol (min(LENGTH, SIZE - OFFSET) bytes); the sink's mark for
// this "$0" says how many had arrived by then, and the sink must have
// written them all.
bool Download::receive_window(ProgressBar& bar) {
  auto& link = app_.link();
  while (!link.wait_for_reply(kProgressInterval)) bar.update(received());
  const auto m = link.next_reply();
  if (!m) return lost();
  in_window_ = false;  // a "$0", or a reply in its place
  const std::uint64_t end = std::min(file_.size, pos_ + kWindow);
  const std::uint64_t arrived = m->kind == Kind::Block ? file_.offset + sink_->take_window_mark().value_or(0) : 0;
  const bool complete = arrived >= end && sink_->wait_written(end - file_.offset);
  if (const auto error = sink_->write_error()) throw std::runtime_error("writing the download: " + *error);
  const char* wrong = m->kind != Kind::Block ? "a reply"
                      : arrived > end        ? "too much"
                      : !complete            ? "too little"
                                             : nullptr;
  if (wrong) {
    app_.out().error(fmt::format("get {}: the server sent {} instead of the announced data", name_, wrong));
    return false;
  }
  pos_ = end;
  bar.update(pos_);
  return true;
}

std::uint64_t Download::received() const { return file_.offset + sink_->written(); }

// Reads the header of the next window: the same file, where we are.
bool Download::next_window() {
  const auto reply = app_.link().next_reply();
  --outstanding_;
  if (!reply) return lost();
  in_window_ = reply->kind == Kind::Ok;
  const auto a = reply->kind == Kind::Ok ? parse_get_announcement(reply->text) : std::nullopt;
  if (a && a->size == file_.size && a->sha256 == file_.sha256 && a->offset == pos_) return true;
  if (reply->kind == Kind::Err) app_.out().reply(*reply);
  forget_partial();
  app_.out().error(
      fmt::format("get {}: the file changed on the server during the download; run 'get {}' again", name_, name_));
  return false;
}

bool Download::lost() {
  if (sink_) {
    // Keep what arrived: the writer finishes the slabs it has, so the next
    // get resumes after them.
    sink_->wait_written(std::numeric_limits<std::uint64_t>::max());
    pos_ = std::max(pos_, received());
  }
  outstanding_ = 0;
  in_window_ = false;
  app_.out().error(
      fmt::format("Connection to the server lost after {} bytes; run 'get {}' again to resume", pos_, name_));
  return false;
}

bool Download::finish() {
  const std::string sha = sink_->finish();
  if (pos_ != file_.size || received() != file_.size || sha != file_.sha256) {
    forget_partial();
    app_.out().error(
        fmt::format("get {}: the data received does not match its SHA-256 ({} bytes, {}); discarded, run get again",
                    name_, pos_, sha));
    return false;
  }
  // Durable before it takes its name: after a crash NAME is either absent
  // or this verified content, never a file with holes.
  if (::fdatasync(fd_) != 0) fail_errno("flushing the download to disk");
  std::error_code ec;
  fs::rename(paths_.part, name_, ec);
  if (ec) {
    app_.out().error(
        fmt::format("get {}: cannot rename {} to {}: {}", name_, paths_.part.string(), name_, ec.message()));
    return false;
  }
  fs::remove(paths_.info, ec);
  const std::string resumed = file_.offset > 0 ? fmt::format(", resumed at byte {}", file_.offset) : "";
  app_.out().info("downloaded", fmt::format("Downloaded {}: {} bytes, SHA-256 verified{}", name_, file_.size, resumed));
  return true;
}

// Reads away whatever the server still sends for this get (the rest of a
// window, the window asked for ahead) so the next reply is the next
// command's.
void Download::drain() {
  if (sink_) sink_->discard();  // payloads still coming are dropped
  if (in_window_) discard_blocks();
  in_window_ = false;
  while (outstanding_ > 0) {
    const auto reply = app_.link().next_reply();
    --outstanding_;
    if (!reply) return;
    if (reply->kind == Kind::Ok) discard_blocks();
  }
}

void Download::discard_blocks() {
  for (;;) {
    const auto m = app_.link().next_reply();
    if (!m || m->kind != Kind::Block || m->data.empty()) return;
  }
}

void Download::forget_partial() {
  std::error_code ec;
  fs::remove(paths_.part, ec);
  fs::remove(paths_.info, ec);
}

// The sink stops writing first, so the part can be closed even if a stray
// block still arrives.
void Download::release_sink() {
  if (!sink_) return;
  sink_->discard();
  app_.link().set_block_sink(nullptr);
  sink_.reset();
}

void Download::close_part() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace

std::optional<GetAnnouncement> parse_get_announcement(std::string_view text) {
  const auto words = split_words(text, 4);
  if (words.size() < 3) return std::nullopt;
  const auto size = parse_uint64(words[0]);
  const auto offset = parse_uint64(words[2]);
  if (!size || !offset || *offset > *size || !is_sha256_hex(words[1])) return std::nullopt;
  return GetAnnouncement{*size, std::string(words[1]), *offset};
}

std::optional<std::string> refuse_existing_file(const std::string& name, bool replace) {
  std::error_code ec;
  if (replace || fs::symlink_status(name, ec).type() == fs::file_type::not_found) return std::nullopt;
  return fmt::format("{} already exists here; use 'get {} -f' to replace it", name, name);
}

void download_file(ClientApp& app, const std::string& name, bool replace, const std::atomic<bool>* stop) {
  Download(app, name, replace, stop).run();
}

}  // namespace edgehub::client
