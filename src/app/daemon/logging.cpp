#include "app/daemon/logging.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <mutex>
#include <stdexcept>

#include <fmt/format.h>

#include "common/strings.hpp"

namespace edgehub::app {
namespace {

// sd-daemon(3)'s prefixes: journald takes the line's priority from them.
int syslog_priority(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::critical:
      return 2;
    case spdlog::level::err:
      return 3;
    case spdlog::level::warn:
      return 4;
    case spdlog::level::info:
      return 6;
    default:
      return 7;
  }
}

class JournalSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    std::fprintf(stderr, "<%d>%.*s", syslog_priority(msg.level), static_cast<int>(line.size()), line.data());
  }
  void flush_() override { std::fflush(stderr); }
};

std::FILE* open_for_append(const std::filesystem::path& file) {
  std::FILE* f = std::fopen(file.c_str(), "a");
  if (f == nullptr) throw std::runtime_error(fmt::format("--log-file {}: {}", file.string(), error_text(errno)));
  return f;
}

// A file sink that can be opened again in place (spdlog's own cannot).
class ReopenableFileSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit ReopenableFileSink(std::filesystem::path file) : file_(std::move(file)), out_(open_for_append(file_)) {}
  ~ReopenableFileSink() override { std::fclose(out_); }
  ReopenableFileSink(const ReopenableFileSink&) = delete;
  ReopenableFileSink& operator=(const ReopenableFileSink&) = delete;

  void reopen() {
    std::FILE* fresh = open_for_append(file_);  // throws: the old file stays
    std::lock_guard lock(mutex_);
    std::fclose(out_);
    out_ = fresh;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    std::fwrite(line.data(), 1, line.size(), out_);
    std::fflush(out_);  // a line a crash would lose is the one that explains it
  }
  void flush_() override { std::fflush(out_); }

 private:
  const std::filesystem::path file_;
  std::FILE* out_;
};

std::shared_ptr<ReopenableFileSink> file_sink;  // set by start_logging with --log-file

}  // namespace

bool is_journal_stream(std::optional<std::string_view> journal_stream, int fd) {
  if (!journal_stream) return false;
  const auto colon = journal_stream->find(':');
  if (colon == std::string_view::npos) return false;
  const auto device = parse_uint64(journal_stream->substr(0, colon));
  const auto inode = parse_uint64(journal_stream->substr(colon + 1));
  struct stat st {};
  if (!device || !inode || ::fstat(fd, &st) != 0) return false;
  return static_cast<std::uint64_t>(st.st_dev) == *device && static_cast<std::uint64_t>(st.st_ino) == *inode;
}

LogTarget start_logging(const std::string& level, const std::filesystem::path& file) {
  LogTarget target = LogTarget::terminal;
  std::shared_ptr<spdlog::logger> logger;
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (!file.empty()) {
    file_sink = std::make_shared<ReopenableFileSink>(file);
    logger = std::make_shared<spdlog::logger>("edgehubd", file_sink);
    target = LogTarget::file;
  } else if (is_journal_stream(stream ? std::optional<std::string_view>(stream) : std::nullopt, STDERR_FILENO)) {
    logger = std::make_shared<spdlog::logger>("edgehubd", std::make_shared<JournalSink>());
    logger->set_pattern("%v");  // journald adds the time and the unit
    target = LogTarget::journal;
  } else {
    logger = spdlog::stderr_color_mt("edgehubd");
  }
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level));
  return target;
}

bool reopen_log() {
  if (!file_sink) return true;
  try {
    file_sink->reopen();
    return true;
  } catch (const std::runtime_error& e) {
    spdlog::error("{}; still writing to the file opened before", e.what());
    return false;
  }
}

}  // namespace edgehub::app
