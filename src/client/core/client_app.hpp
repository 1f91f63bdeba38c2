#pragma once
// The edgehub client: connects, logs in, then runs commands one at a time
// from a LineSource, printing replies and events through Output. The I/O
// thread reads the server; the calling thread runs commands.
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "client/core/client_commands.hpp"
#include "client/core/client_options.hpp"
#include "client/core/line_source.hpp"
#include "client/core/output.hpp"
#include "client/core/server_link.hpp"

namespace edgehub::client {

class BackgroundDownloads;  // client/files/background_downloads.hpp
class PrivateChannels;      // client/private_channels.hpp
class UvfAgent;             // client/p2p/uvf_agent.hpp
namespace swarm {
class SwarmAgent;  // client/p2p/swarm_agent.hpp
}

class ClientApp {
 public:
  explicit ClientApp(ClientOptions options);
  ~ClientApp();
  ClientApp(const ClientApp&) = delete;
  ClientApp& operator=(const ClientApp&) = delete;

  int run();  // the process exit status (ExitCode)

  // For client-side command handlers.
  ServerLink& link() { return link_; }
  Output& out() { return *out_; }
  boost::asio::io_context& io() { return io_; }
  boost::asio::ip::udp::socket& udp_socket() { return udp_; }
  const std::string& name() const { return name_; }
  const ClientOptions& options() const { return options_; }
  PrivateChannels& private_channels() { return *private_; }
  UvfAgent& uvf() { return *uvf_; }
  BackgroundDownloads& downloads() { return *downloads_; }
  // Commands come from a person at a terminal (not batch input).
  bool interactive() const { return input_->interactive(); }
  swarm::SwarmAgent& swarm() { return *swarm_; }
  const ClientCommandTable& commands() const { return commands_; }
  // Sends a line to the server and returns its reply, unprinted; nullopt
  // (said on the output) if the connection is lost.
  std::optional<protocol::ServerMessage> ask(const std::string& line);
  // ask(), then prints the reply.
  std::optional<protocol::ServerMessage> forward(const std::string& line);

 private:
  int connect_and_login();
  int login_with_password();
  int end_of_input_before(const char* what);
  int run_commands();
  bool run_one(std::string_view line, std::string_view verb, std::string_view args);
  void run_local(const ClientCommand& command, std::string_view args);
  int log_out();
  // The server went away (client/core/reconnect.cpp).
  bool server_went_away();
  bool reconnect();
  enum class Reconnect { Done, Retry, Refused };
  Reconnect try_reconnect();
  Reconnect log_in_again();
  void give_udp_port();  // guests, after the greeting (and after a reconnect)
  void give_udp_key();   // after each greeting, before the login
  int connection_gone();
  void on_event(const protocol::ServerMessage& m);
  void bind_udp();
  // Ends the background transfers (once): peers are told "NAME logged out";
  // here each says `note` if given ("you logged out"), else its own error.
  void stop_transfers(const std::string& note);

  ClientOptions options_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  ServerLink link_;
  boost::asio::ip::udp::socket udp_;
  std::unique_ptr<Output> out_;
  std::unique_ptr<LineSource> input_;
  ClientCommandTable commands_;
  std::unique_ptr<PrivateChannels> private_;        // before io_ and out_ in destruction
  std::unique_ptr<swarm::SwarmAgent> swarm_;        // likewise; shares the UVF agent's endpoint
  std::unique_ptr<UvfAgent> uvf_;                   // likewise; owns the UDP socket once logged in
  std::unique_ptr<BackgroundDownloads> downloads_;  // likewise; uses link_ from its own thread
  std::string name_;
  std::atomic<bool> server_said_bye_{false};
  bool transfers_stopped_ = false;  // command thread only
  std::mutex token_mutex_;          // guards the two below, set on the I/O thread
  std::string resume_token_;        // the last !TOKEN: how reconnecting logs in again
  std::string bye_text_;            // the last !BYE's text; "" if none since connecting
  // The password typed at login, kept for this session only: a restarted
  // server has forgotten every resume token (docs/PROTOCOL.md#5-logging-in).
  std::string password_;
  std::uint16_t udp_port_ = 0;  // where this device receives UVF files, told at every login
  std::thread io_thread_;
};

}  // namespace edgehub::client
