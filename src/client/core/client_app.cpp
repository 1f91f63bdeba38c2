#include "client/core/client_app.hpp"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

#include "client/files/background_downloads.hpp"
#include "client/messaging/private_channels.hpp"
#include "client/p2p/swarm_agent.hpp"
#include "client/p2p/uvf_agent.hpp"
#include "client/shell/shell_completion.hpp"
#include "common/strings.hpp"

namespace edgehub::client {

namespace asio = boost::asio;
using Kind = protocol::ServerMessage::Kind;

namespace {

// The server's OUT and its aliases (docs/PROTOCOL.md#7-core-commands).
bool is_logout(std::string_view verb) {
  for (const std::string_view word : {"OUT", "logout", "exit", "quit"})
    if (iequals(verb, word)) return true;
  return false;
}

}  // namespace

ClientApp::ClientApp(ClientOptions options)
    : options_(std::move(options)),
      work_(asio::make_work_guard(io_)),
      link_(io_),
      udp_(io_),
      out_(std::make_unique<Output>(options_.json)),
      commands_(build_client_commands()) {
  const bool tty = ::isatty(STDIN_FILENO) != 0 && ::isatty(STDOUT_FILENO) != 0;
  input_ = tty ? make_interactive_source(*out_) : make_batch_source();
  input_->set_shell_hooks(make_shell_hooks(link_, commands_.words()));
  private_ = std::make_unique<PrivateChannels>(*this);
  swarm_ = std::make_unique<swarm::SwarmAgent>(*this, options_.swarm_upload_slots);
  uvf_ = std::make_unique<UvfAgent>(*this);
  downloads_ = std::make_unique<BackgroundDownloads>(*this);
  link_.set_event_handler([this](const protocol::ServerMessage& m) { on_event(m); });
  link_.set_tls(std::make_shared<TlsClient>(TlsClientOptions{.plain = options_.plain,
                                                             .insecure = options_.insecure,
                                                             .fingerprint = options_.fingerprint,
                                                             .cert = options_.cert,
                                                             .key = options_.key}));
}

ClientApp::~ClientApp() {
  private_->close_all();  // logging out ends every private session
  link_.close();
  downloads_->stop();  // before the I/O thread stops: a reply it waits for ends with the connection
  work_.reset();
  io_.stop();
  if (io_thread_.joinable()) io_thread_.join();
}

int ClientApp::run() {
  try {
    bind_udp();
    link_.connect(options_.host, options_.port);
  } catch (const std::exception& e) {
    out_->error(e.what());
    return kExitError;
  }
  io_thread_ = std::thread([this] { io_.run(); });
  const int login_status = connect_and_login();
  if (login_status != kExitOk) return login_status;
  uvf_->start();  // UVF: receive files on the UDP port the server now tells peers
  const std::size_t failures_at_login = out_->failures();
  int status = run_commands();
  // Batch mode says in its exit status whether every command went well
  // (docs/CLIENT.md#exit-status); a person at a terminal has seen it.
  if (status == kExitOk && !input_->interactive() && out_->failures() > failures_at_login) status = kExitCommandFailed;
  stop_transfers({});
  return status;
}

void ClientApp::stop_transfers(const std::string& note) {
  if (std::exchange(transfers_stopped_, true)) return;
  swarm_->stop(name_ + " logged out");      // downloads end (a re-run resumes), before the endpoint closes
  uvf_->stop(name_ + " logged out", note);  // running transfers end; their peers are told why
}

void ClientApp::bind_udp() {
  // The UDP port where this device receives peer-to-peer transfers; the
  // server tells it to peers. Port 0 lets the OS choose a free one.
  const asio::ip::udp::endpoint endpoint(asio::ip::udp::v4(), options_.udp_port);
  boost::system::error_code ec;
  udp_.open(endpoint.protocol(), ec);
  if (!ec) udp_.bind(endpoint, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot use UDP port {}: {}", options_.udp_port, ec.message()));
}

int ClientApp::connect_and_login() {
  const auto greeting = link_.next_reply();
  if (!greeting) {
    out_->error("The server closed the connection");
    return kExitError;
  }
  if (greeting->kind == Kind::Err) {
    out_->reply(*greeting);  // e.g. "Server full, try later"
    return kExitError;
  }
  give_udp_key();                                     // before the login, which then registers it with the name
  const auto words = split_words(greeting->text, 4);  // EDGEHUB/1 MODE [NAME] TEXT
  if (words.size() >= 3 && words[1] == "guest") {
    name_ = std::string(words[2]);
    out_->info("welcome", words.size() > 3 ? words[3] : std::string_view("Welcome"));
    udp_port_ = udp_.local_endpoint().port();  // kept for a reconnect: the UVF agent takes the socket over
    give_udp_port();
    return kExitOk;
  }
  return options_.cert ? login_with_certificate() : login_with_password();
}

// A guest's greeting logged it in without a UDP port: it gives it now, as a
// login would, so that peers can send it files (docs/PROTOCOL.md#4-greeting-and-modes).
void ClientApp::give_udp_port() {
  const auto reply = link_.request(fmt::format("udpport {}", udp_port_));
  if (reply.kind == Kind::Err) out_->reply(reply);
}

// The public key peers' UVF and swarm transfers to this device are
// encrypted with (docs/UDP.md#14-end-to-end-encryption); given before the
// login, so that no peer can find this device online without it. A hub
// older than cipher negotiation refuses the offer: then the bare key.
void ClientApp::give_udp_key() {
  auto reply = link_.request(uvf_->udp_key_command());
  if (reply.kind == Kind::Err && reply.code == 400) reply = link_.request(uvf_->udp_key_command(false));
  if (reply.kind == Kind::Err) out_->reply(reply);
}

// Batch input that ends before the login is complete is a usage error, said
// on stderr (docs/CLIENT.md#batch-mode).
int ClientApp::end_of_input_before(const char* what) {
  if (input_->interactive()) return kExitLoginFailed;  // Ctrl-D at the prompt
  std::fprintf(stderr, "edgehub: end of input before the %s\n", what);
  return kExitUsage;
}

int ClientApp::login_with_password() {
  for (;;) {
    std::string user;
    if (options_.user)
      user = *options_.user;
    else if (auto line = input_->read_line("Username: "))
      user = std::string(trim(*line));
    else
      return end_of_input_before("username");
    std::string password;
    if (options_.password)
      password = *options_.password;
    else if (auto line = input_->read_secret("Password: "))
      password = *line;
    else
      return end_of_input_before("password");
    const std::uint16_t udp_port = udp_.local_endpoint().port();
    auto reply = link_.request(fmt::format("login {} {} {}", user, password, udp_port));
    out_->reply(reply);
    if (reply.kind != Kind::Err) {
      name_ = user;
      password_ = password;  // to log in again if the server restarts (client/core/reconnect.cpp)
      udp_port_ = udp_port;  // likewise: the UVF agent takes the socket over
      return kExitOk;
    }
    if (reply.code == 423) return kExitBlocked;
    // Wrong name or password at a terminal: both are asked again, since the
    // server's answer does not say which was wrong (docs/CLIENT.md#logging-in).
    if (reply.code != 401 || !input_->interactive() || options_.password) return kExitLoginFailed;
  }
}

// No prompt: the TLS handshake presented --cert, the server checks it
// (docs/SECURITY.md#device-certificates).
int ClientApp::login_with_certificate() {
  const std::string user = options_.user ? *options_.user : options_.cert_name;
  const std::uint16_t udp_port = udp_.local_endpoint().port();
  const auto reply = link_.request(fmt::format("certlogin {} {}", user, udp_port));
  out_->reply(reply);
  if (reply.kind == Kind::Err) return kExitLoginFailed;
  name_ = user;
  udp_port_ = udp_port;  // for a reconnect: the UVF agent takes the socket over
  return kExitOk;
}

int ClientApp::run_commands() {
  for (;;) {
    // The server went away: the interactive client comes back when it does
    // (client/core/reconnect.cpp); batch mode stops.
    if (link_.is_closed() && !(input_->interactive() && server_went_away() && reconnect())) return connection_gone();
    link_.replies_handled();  // events that came behind the last reply show now
    auto line = input_->read_line(fmt::format("{}> ", name_));
    if (!line && link_.is_closed() && input_->interactive()) continue;  // the prompt ended as the server went away
    if (!line) return log_out();
    const auto [verb, args] = split_first_word(*line);
    if (verb.empty()) continue;
    const std::size_t failures_before = out_->failures();
    if (run_one(*line, verb, args)) {
      server_said_bye_ = true;
      return kExitOk;
    }
    // --stop-on-error, like psql's ON_ERROR_STOP: the rest of the input is not run.
    if (options_.stop_on_error && !input_->interactive() && out_->failures() > failures_before) return log_out();
  }
}

// One command, in a turn of its own with the server: background requests
// (the swarm's tracker link) wait for it to end. True if the server said
// goodbye.
bool ClientApp::run_one(std::string_view line, std::string_view verb, std::string_view args) {
  for (const char* out : {"OUT", "logout", "exit", "quit"})
    if (iequals(verb, out)) downloads_->stop();  // said before the goodbye; parts are kept
  const auto turn = link_.take_turn();
  if (const ClientCommand* local = commands_.find(verb)) {
    run_local(*local, args);
    return false;
  }
  // Transfers cut short by OUT say so before "Bye", to the person who typed
  // it (issue 13; docs/UDP.md#11-uvf-user-file-in-the-client).
  if (is_logout(verb)) stop_transfers("you logged out");
  const auto reply = forward(std::string(trim(line)));
  return reply && reply->kind == Kind::Ok && reply->text.rfind("Bye", 0) == 0;
}

// The arity is checked here, as the hub does for its commands, so a handler
// only sees an argument count in range.
void ClientApp::run_local(const ClientCommand& command, std::string_view args) {
  const auto split = split_client_args(command, args);
  if (!split) return out_->error(usage_error(command));
  try {
    command.run(*this, *split);
  } catch (const std::exception& e) {
    out_->error(fmt::format("{}: {}", command.name, e.what()));
  }
}

std::optional<protocol::ServerMessage> ClientApp::ask(const std::string& line) {
  link_.send_line(line);
  auto reply = link_.next_reply();
  if (!reply && !server_said_bye_) out_->error("Connection to the server lost");
  return reply;
}

std::optional<protocol::ServerMessage> ClientApp::forward(const std::string& line) {
  auto reply = ask(line);
  if (reply) out_->reply(*reply);
  return reply;
}

int ClientApp::log_out() {
  swarm_->wait_idle();  // end of input: background downloads finish first
  uvf_->wait_idle();
  downloads_->stop();  // a get at the terminal stops (docs/FILES.md#using-it); a later get resumes it
  const auto turn = link_.take_turn();
  if (link_.is_closed()) return connection_gone();
  // The server may go away just now, before it has answered.
  if (!forward("OUT")) return connection_gone();
  server_said_bye_ = true;
  return kExitOk;
}

void ClientApp::on_event(const protocol::ServerMessage& m) {
  if (m.name == "PING") return link_.send_line("");  // heartbeat answer
  if (m.name == "TOKEN") {
    std::lock_guard lock(token_mutex_);
    resume_token_ = m.text;
    return;
  }
  if (m.name == "BYE") {
    std::lock_guard lock(token_mutex_);
    bye_text_ = m.text;
    server_said_bye_ = true;
  }
  if (private_->on_event(m)) return;  // PRIVSTART, PRIVSTOP
  if (uvf_->on_event(m)) return;      // UVF: a ticket for an incoming file
  if (swarm_->on_event(m)) return;    // SWARMTICKET, SWARMUNTICKET: who may fetch our chunks
  out_->event(m);
}

}  // namespace edgehub::client
