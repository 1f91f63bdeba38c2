#include "client/shell/shell_completion.hpp"

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>

#include "client/shell/shell_words.hpp"

namespace edgehub::client {
namespace {

using Kind = protocol::ServerMessage::Kind;
using Clock = std::chrono::steady_clock;

constexpr auto kNamesFreshFor = std::chrono::seconds(3);
constexpr std::size_t kMaxDirectoryEntries = 2000;

// Used only on the command thread (see ShellHooks), so no lock.
class ServerWords {
 public:
  ServerWords(ServerLink& link, std::vector<std::string> client_words)
      : link_(link), client_words_(std::move(client_words)) {}

  std::vector<std::string> commands() {
    if (!server_commands_) server_commands_ = ask("help", words_from_help);
    std::vector<std::string> words = client_words_;
    if (server_commands_) words.insert(words.end(), server_commands_->begin(), server_commands_->end());
    return words;
  }

  std::vector<std::string> names(bool fresh) { return cached(users_, "AED", names_from_device_list, fresh); }
  std::vector<std::string> files(bool fresh) { return cached(files_, "list", names_from_file_list, fresh); }

 private:
  // A list reply parsed; an empty list for another +OK; nullopt on an error
  // or a closed connection.
  template <typename Parse>
  std::optional<std::vector<std::string>> ask(const std::string& line, Parse parse) {
    try {
      const auto reply = link_.request(line);
      if (reply.kind == Kind::Err) return std::nullopt;
      return reply.kind == Kind::List ? parse(reply.lines) : std::vector<std::string>{};
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }

  // Names asked for at most every kNamesFreshFor: a second TAB lists what
  // the first one fetched, without another request.
  struct Cache {
    std::vector<std::string> names;
    std::optional<Clock::time_point> at;
  };
  template <typename Parse>
  std::vector<std::string> cached(Cache& cache, const std::string& line, Parse parse, bool fresh) {
    const auto now = Clock::now();
    if (fresh || !cache.at || now - *cache.at > kNamesFreshFor) {
      cache.names = ask(line, parse).value_or(std::vector<std::string>{});
      cache.at = now;
    }
    return cache.names;
  }

  ServerLink& link_;
  const std::vector<std::string> client_words_;
  std::optional<std::vector<std::string>> server_commands_;
  Cache users_, files_;
};

}  // namespace

ShellHooks make_shell_hooks(ServerLink& link, std::vector<std::string> client_words) {
  auto words = std::make_shared<ServerWords>(link, std::move(client_words));
  return ShellHooks{
      [words] { return words->commands(); },
      [words](bool fresh) { return words->names(fresh); },
      [words](bool fresh) { return words->files(fresh); },
      [&link] { return !link.is_closed(); },
  };
}

std::vector<std::string> local_file_candidates(std::string_view prefix) {
  namespace fs = std::filesystem;
  const auto slash = prefix.rfind('/');
  const std::string dir_part =
      slash == std::string_view::npos ? std::string() : std::string(prefix.substr(0, slash + 1));
  const std::string_view base = slash == std::string_view::npos ? prefix : prefix.substr(slash + 1);
  std::error_code ec;
  fs::directory_iterator it(dir_part.empty() ? fs::path(".") : fs::path(dir_part), ec);
  std::vector<std::string> out;
  for (std::size_t seen = 0; !ec && it != fs::directory_iterator() && seen < kMaxDirectoryEntries;
       it.increment(ec), ++seen) {
    const std::string name = it->path().filename().string();
    if (name.rfind(base, 0) != 0 || (name.front() == '.' && (base.empty() || base.front() != '.'))) continue;
    out.push_back(dir_part + name + (it->is_directory(ec) ? "/" : ""));
  }
  return out;
}

}  // namespace edgehub::client
