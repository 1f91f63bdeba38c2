#include "data/generator.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <system_error>
#include <vector>

#include "common/errno_error.hpp"
#include "data/random.hpp"

namespace edgehub::data {

namespace {

constexpr std::size_t block_size = 1 << 20;
constexpr std::size_t max_line = 21;  // "-9223372036854775808\n"

void write_all(int fd, std::string_view bytes, const std::string& name) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("cannot write " + name);
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Closes the descriptor and removes the temporary unless released.
struct TempFile {
  std::filesystem::path path;
  int fd;
  bool keep = false;
  ~TempFile() {
    if (fd >= 0) ::close(fd);
    if (!keep) ::unlink(path.c_str());
  }
};

}  // namespace

std::uint64_t seed_from_clock() {
  return static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()) ^
         (static_cast<std::uint64_t>(::getpid()) << 32);
}

GenerationSummary generate(const GeneratorConfig& config, const std::function<void(std::string_view)>& sink) {
  Xoshiro256 rng(config.seed);
  GenerationSummary summary;
  std::vector<char> block(block_size + max_line);
  char* out = block.data();
  for (std::uint64_t i = 0; i < config.count; ++i) {
    const std::int64_t v = rng.uniform(config.min, config.max);
    summary.stats.add(v);
    out = std::to_chars(out, out + max_line, v).ptr;
    *out++ = '\n';
    if (static_cast<std::size_t>(out - block.data()) >= block_size) {
      sink(std::string_view(block.data(), static_cast<std::size_t>(out - block.data())));
      summary.bytes += static_cast<std::uint64_t>(out - block.data());
      out = block.data();
    }
  }
  sink(std::string_view(block.data(), static_cast<std::size_t>(out - block.data())));
  summary.bytes += static_cast<std::uint64_t>(out - block.data());
  return summary;
}

std::string generate_string(const GeneratorConfig& config) {
  std::string text;
  generate(config, [&text](std::string_view part) { text += part; });
  return text;
}

GenerationSummary generate_file(const std::filesystem::path& target, const GeneratorConfig& config) {
  TempFile tmp{target.string() + ".edg-tmp", -1};
  tmp.fd = ::open(tmp.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (tmp.fd < 0) throw_errno("cannot create " + tmp.path.string());
  const std::string name = tmp.path.string();
  const GenerationSummary summary = generate(config, [&](std::string_view part) { write_all(tmp.fd, part, name); });
  const int fd = tmp.fd;
  tmp.fd = -1;
  if (::close(fd) != 0) throw_errno("cannot write " + name);
  if (::rename(tmp.path.c_str(), target.c_str()) != 0) throw_errno("cannot rename to " + target.string());
  tmp.keep = true;
  return summary;
}

}  // namespace edgehub::data
