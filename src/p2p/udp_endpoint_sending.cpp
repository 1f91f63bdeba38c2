// Starting outgoing UVF transfers (docs/UDP.md#2-handshake-connection-ids-authorisation):
// part of UdpEndpoint, split from udp_endpoint.cpp.
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "p2p/file_source.hpp"
#include "p2p/udp_endpoint_state.hpp"

namespace edgehub::p2p {

void UdpEndpoint::send_file(const udp::endpoint& peer, const std::filesystem::path& file, std::string ticket,
                            ProgressCallback progress, SendCallback done, SendOptions options) {
  auto out = std::make_unique<Outgoing>();
  out->peer = peer;
  out->progress = std::move(progress);
  out->done = std::move(done);
  out->name = options.file_name.empty() ? file.filename().string() : options.file_name;
  out->started = now_us();
  try {
    if (closed_) throw std::runtime_error("the UDP endpoint is closed");
    std::string no_keys;
    out->channel = new_channel(options.keys, ticket, no_keys);
    if (!no_keys.empty()) throw std::runtime_error(no_keys);
    out->source = std::make_unique<FileSource>(file);
  } catch (const std::exception& e) {
    SendResult r{false, e.what(), out->name, 0, 0, 0};
    boost::asio::post(socket_.get_executor(), [cb = out->done, r] { cb(r); });
    return;
  }
  auto id = new_conn_id();
  SenderParams params{sender_config(options.config.value_or(options_.config), out->channel, out->peer), id, out->name,
                      std::move(ticket)};
  out->machine = std::make_unique<SenderMachine>(std::move(params), *out->source, out->started);
  outgoing_[id] = std::move(out);
  boost::asio::post(socket_.get_executor(), [this, alive = alive_] {
    if (*alive) flush();
  });
}

boost::asio::awaitable<SendResult> UdpEndpoint::async_send_file(udp::endpoint peer, std::filesystem::path file,
                                                                std::string ticket, ProgressCallback progress,
                                                                SendOptions options) {
  auto init = [&](auto handler) {
    auto h = std::make_shared<decltype(handler)>(std::move(handler));
    send_file(
        peer, file, std::move(ticket), std::move(progress), [h](const SendResult& r) { (*h)(r); }, std::move(options));
  };
  co_return co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(SendResult)>(
      init, boost::asio::use_awaitable);
}

}  // namespace edgehub::p2p
