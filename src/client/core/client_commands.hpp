#pragma once
// Commands the client handles itself (EDG writes a local file, UED uploads
// one, get downloads, UVF sends peer to peer...). Anything not in this table
// is sent to the server as typed and its reply printed.
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace edgehub::client {

class ClientApp;

struct ClientCommand {
  std::string name;
  std::vector<std::string> aliases;
  std::string usage;
  // Runs on the command thread; the line's words after the verb in args.
  std::function<void(ClientApp& app, std::string_view args)> run;
};

class ClientCommandTable {
 public:
  void add(ClientCommand command);
  const ClientCommand* find(std::string_view verb) const;  // case-insensitive
  std::vector<std::string> words() const;                   // for tab completion

 private:
  std::vector<ClientCommand> commands_;
  std::unordered_map<std::string, std::size_t> index_;
};

// Every feature's register function is called from here.
ClientCommandTable build_client_commands();

}  // namespace edgehub::client
