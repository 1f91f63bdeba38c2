// msg_load: load generator for messaging (issue 3; results in
// docs/BENCHMARKS.md#messaging; driven by bench/msg_bench.sh). One mode per
// header: msg_load_direct.hpp, msg_load_broadcast.hpp, msg_load_offline.hpp.
//
//   direct    N online pairs; each sender keeps --window messages in flight
//             (or sends at --rate messages/s in total); receivers time each
//             message (the send time travels in the text; one machine, one
//             monotonic clock). Reports routed messages/s and latency.
//   broadcast --receivers guests, spread over --procs processes, and one
//             sender sending --count broadcasts with --window in flight.
//             Reports deliveries/s (receivers x broadcasts / time).
//   offline   --senders guests send --count messages in total to offline
//             accounts PREFIX000000..; each "+OK ... stored" is durable.
//             Reports stored messages/s (group commit at work).
//
// The server must run with --guest --no-presence (guests need no login and
// get no presence fan-out); offline mode also needs the accounts
// (--write-credentials FILE writes them).
//
// --protocol mqtt runs direct and broadcast against an MQTT 3.1.1 broker
// instead (msg_client.hpp): receiver i subscribes to "dm/<i>" at QoS 1 and
// its sender PUBLISHes there at QoS 1 (the PUBACK stands for "+OK"; the
// window counts unacknowledged PUBLISHes); broadcast receivers subscribe to
// "bcast" at QoS 0 (like !BCAST, unacknowledged) and the sender PUBLISHes
// to it at QoS 1. Message texts are the same for both protocols.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "msg_load_broadcast.hpp"
#include "msg_load_direct.hpp"
#include "msg_load_offline.hpp"

using namespace edgehub::bench::msg;

int main(int argc, char** argv) {
  CLI::App app{"msg_load: messaging load generator (see docs/BENCHMARKS.md, Messaging)", "msg_load"};
  Options o;
  app.add_option("--mode", o.mode, "direct, broadcast or offline")
      ->check(CLI::IsMember({"direct", "broadcast", "offline"}));
  app.add_option("--protocol", o.protocol, "edgehub, or mqtt (an MQTT 3.1.1 broker; direct and broadcast only)")
      ->check(CLI::IsMember({"edgehub", "mqtt"}));
  app.add_option("--host", o.host, "server address");
  app.add_option("--port", o.port, "server port");
  app.add_option("--pairs", o.pairs, "direct: sender/receiver pairs");
  app.add_option("--window", o.window, "direct/broadcast: commands in flight per sender");
  app.add_option("--rate", o.rate, "direct: messages/s in total (0 = as fast as the window allows)");
  app.add_option("--seconds", o.seconds, "direct: measuring time");
  app.add_option("--warmup", o.warmup, "direct: seconds before measuring");
  app.add_option("--receivers", o.receivers, "broadcast: receiving guests");
  app.add_option("--procs", o.procs, "broadcast: receiver processes")->check(CLI::Range(1, 64));
  app.add_option("--count", o.count, "broadcast: broadcasts; offline: messages in total");
  app.add_option("--senders", o.senders, "offline: sending guests");
  app.add_option("--recipients", o.recipients, "offline: offline accounts messages go to");
  app.add_option("--prefix", o.prefix, "offline: account name prefix");
  app.add_option("--size", o.size, "bytes of text per message");
  app.add_option("--write-credentials", o.write_credentials, "write --recipients accounts to FILE and exit");
  app.add_flag("--login", o.login, "log in as accounts PREFIX000000.. (see --write-credentials) instead of as guests");
  app.add_option("--receiver-port", o.receiver_port,
                 "direct: receivers connect to this port (another node of a cluster) instead of --port");
  app.add_option("--server-pid", o.server_pid,
                 "the server's PID (edgehubd or the broker): report its CPU time per message");
  CLI11_PARSE(app, argc, argv);
  if (!o.write_credentials.empty()) return write_credentials(o);
  if (o.protocol == "mqtt" && o.mode == "offline") {
    std::fprintf(stderr, "msg_load: offline mode is edgehub only\n");
    return 2;
  }
  try {
    const tcp::endpoint server(asio::ip::make_address(o.host), o.port);
    if (o.mode == "broadcast") return broadcast(o, server);  // forks: before any io_context exists
    if (o.mode == "offline") return offline(o, server);
    return direct(o, server);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "msg_load: %s\n", e.what());
    return 1;
  }
}
