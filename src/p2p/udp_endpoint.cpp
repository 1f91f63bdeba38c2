#include "p2p/udp_endpoint.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cstdio>

#include "p2p/file_names.hpp"
#include "p2p/file_sink.hpp"
#include "p2p/file_source.hpp"
#include "p2p/packet.hpp"
#include "p2p/udp_endpoint_state.hpp"

namespace edgehub::p2p {
namespace {
constexpr std::size_t kReadBudget = 1024;  // buffers read before yielding to timers and other work
constexpr int kSocketBuffer = 8 << 20;

// Asks for big socket buffers: a burst at loopback speed must not overflow
// them while the receiver is busy. Privileged processes may exceed the
// system maximum (rmem_max/wmem_max); others get what it allows.
void enlarge_buffers(int fd) {
  int size = kSocketBuffer;
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0)
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  if (::setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) != 0)
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
}
}  // namespace

UdpEndpoint::UdpEndpoint(udp::socket socket, EndpointOptions options)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      options_(std::move(options)),
      sender_(socket_.native_handle()),
      receiver_(socket_.native_handle()) {}

UdpEndpoint::~UdpEndpoint() {
  *alive_ = false;
  watch_.reset();
  if (released_fd_ >= 0) ::close(released_fd_);
  boost::system::error_code ec;
  socket_.close(ec);
  timer_.cancel();
}

void UdpEndpoint::start() {
  boost::system::error_code ec;
  socket_.non_blocking(true, ec);
  enlarge_buffers(socket_.native_handle());
  if (options_.read_coalesce.count() > 0) {
    // Out of Asio's epoll set, where every arriving datagram would wake us
    // (udp_readiness.hpp); the batch I/O keeps using the descriptor.
    auto executor = socket_.get_executor();
    local_ = socket_.local_endpoint(ec);
    const int fd = socket_.native_handle();
    released_fd_ = socket_.release(ec);
    if (ec) released_fd_ = -1;
    if (released_fd_ != fd) return wait_readable();  // not released: Asio keeps watching it
    watch_ = std::make_unique<ReadinessWatch>(executor, released_fd_, [this](bool readable, bool writable) {
      if (writable) {
        write_blocked_ = false;
        flush();
      }
      if (readable) on_readable();
    });
  }
  wait_readable();
}

udp::endpoint UdpEndpoint::local_endpoint() const {
  boost::system::error_code ec;
  return socket_.is_open() ? socket_.local_endpoint(ec) : local_;
}
std::size_t UdpEndpoint::active_transfers() const { return outgoing_.size() + incoming_.size(); }

std::uint64_t UdpEndpoint::now_us() const {
  auto d = std::chrono::steady_clock::now() - epoch_;
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(d).count()) + kSeconds;
}

std::uint32_t UdpEndpoint::new_conn_id() {
  for (;;) {
    auto id = static_cast<std::uint32_t>(rng_());
    if (id != 0 && !outgoing_.contains(id) && !incoming_.contains(id) && !requests_.contains(id)) return id;
  }
}

// ---- receiving --------------------------------------------------------------

void UdpEndpoint::wait_readable() {
  if (closed_) return;
  if (watch_) return watch_->want_read();
  socket_.async_wait(udp::socket::wait_read, [this, alive = alive_](boost::system::error_code ec) {
    if (!*alive || ec == boost::asio::error::operation_aborted) return;
    on_readable();
  });
}

// Traffic is flowing: read again after read_coalesce, on the same timer as
// the transfers' deadlines, rather than at the next datagram, so that one
// wake-up handles many paced datagrams and the delayed ACKs
// (docs/UDP.md#12-the-driver-batched-system-calls). An empty read goes back
// to waiting for readiness, so an idle endpoint does not poll.
void UdpEndpoint::read_later() {
  read_due_ = now_us() + static_cast<Micros>(options_.read_coalesce.count());
  reschedule();
}

// Handles what is queued on the socket (up to a budget), one system call's
// batch at a time, each answered by one flush: one ACK then covers a burst,
// yet no more news than its SACK blocks can carry.
void UdpEndpoint::on_readable() {
  std::size_t buffers = 0;
  bool drained = false;
  while (!closed_ && !drained && buffers < kReadBudget) {
    const std::size_t n = receiver_.receive();
    drained = n < BatchReceiver::kBatch;  // the queue was empty: a later datagram raises a new readiness edge
    buffers += n;
    receiver_.for_each([this](std::span<const std::uint8_t> bytes, const udp::endpoint& from) {
      if (!closed_) handle_datagram(bytes, from);
    });
    if (n > 0) flush();
  }
  if (drained && buffers > 0 && options_.read_coalesce.count() > 0) return read_later();
  if (drained) return wait_readable();
  // More is queued: continue after whatever else is ready (timers), without
  // waiting for a readiness edge that may not come again.
  boost::asio::post(socket_.get_executor(), [this, alive = alive_] {
    if (*alive) on_readable();
  });
}

// Version 2 (sealed) datagrams go to udp_endpoint_sealed.cpp; version 1
// only at a plaintext endpoint (a benchmark's).
void UdpEndpoint::handle_datagram(std::span<const std::uint8_t> bytes, const udp::endpoint& from) {
  ++counters_.datagrams;
  if (bytes.size() > 1 && bytes[1] == crypto::kSealedVersion) return handle_sealed(bytes, from);
  auto r = decode(bytes);
  if (!r.ok()) {
    ++counters_.bad_datagrams;
    return;
  }
  if (!options_.plaintext) return void(++counters_.plaintext_datagrams);
  const Packet& p = r.packet();
  if (p.dest_conn == 0) {
    if (std::holds_alternative<Syn>(p.body)) return handle_syn(p, from, nullptr);
    if (std::holds_alternative<Request>(p.body)) return handle_request(p, from, nullptr);
    return void(++counters_.unknown_connection);
  }
  route(p, from, nullptr);
}

// A datagram for one of our transfers: from its peer, and opened with its
// channel (none for a plaintext one).
void UdpEndpoint::route(const Packet& p, const udp::endpoint& from, const crypto::Channel* ch) {
  auto now = now_us();
  if (auto o = outgoing_.find(p.dest_conn); o != outgoing_.end() && o->second->peer == from)
    if (o->second->channel.get() == ch) return o->second->machine->on_packet(p, now);
  if (auto i = incoming_.find(p.dest_conn); i != incoming_.end() && i->second->peer == from)
    if (i->second->channel.get() == ch) return i->second->machine->on_packet(p, now);
  if (request_aborted(p, from, ch)) return;
  ++counters_.unknown_connection;
}

void UdpEndpoint::handle_syn(const Packet& p, const udp::endpoint& from, const ChannelPtr& ch) {
  const auto& syn = std::get<Syn>(p.body);
  if (auto it = syn_index_.find({from, syn.src_conn}); it != syn_index_.end()) {
    if (auto i = incoming_.find(it->second); i != incoming_.end() && i->second->channel == ch)
      i->second->machine->on_packet(p, now_us());
    return;
  }
  if (accept_swarm(syn, from, ch)) return;
  // Only a swarm sink checks chunks itself: every other transfer needs the whole-stream hash.
  if (syn.chunk_verified) return refuse(from, syn.src_conn, 5, "whole-file SHA-256 required", ch.get());
  // A sealed SYN's ticket is known (its keys were): no waiting for it.
  const auto wait = static_cast<Micros>(options_.ticket_wait.count()) * kMillis;
  admit(syn, from, wait > 0 && !ch ? now_us() + wait : 0, ch);
}

// Asks the validator; an unknown ticket waits until park_until (0: refused now).
void UdpEndpoint::admit(const Syn& syn, const udp::endpoint& from, Micros park_until, const ChannelPtr& ch) {
  std::optional<std::string> sender;
  if (options_.validator && !closed_)
    sender = options_.validator(TransferRequest{syn.ticket, syn.name, syn.file_size, from});
  if (sender) return accept(syn, from, *sender, ch);
  if (closed_ || park_until == 0 || now_us() >= park_until)
    return refuse(from, syn.src_conn, 2, closed_ ? "receiver is not accepting transfers" : "ticket not accepted",
                  ch.get());
  ++counters_.parked_handshakes;
  if (auto out = parked_.park({from, syn, park_until, {}, {}})) refuse_parked(*out, 2, "ticket not accepted");
}

// A held SYN that is given up: a sealed one cannot be answered (its keys
// never came), so it is only counted.
void UdpEndpoint::refuse_parked(const ParkedHandshakes::Entry& e, std::uint8_t reason, const std::string& text) {
  if (!e.sealed.empty()) return void(++counters_.rejected_handshakes);
  refuse(e.from, e.syn.src_conn, reason, text, nullptr);
}

void UdpEndpoint::accept(const Syn& syn, const udp::endpoint& from, const std::string& sender, const ChannelPtr& ch) {
  if (!is_plain_file_name(syn.name) || !is_plain_file_name(sender))
    return refuse(from, syn.src_conn, 5, "bad file name", ch.get());
  auto in = std::make_unique<Incoming>();
  auto id = new_conn_id();
  in->peer = from;
  in->peer_conn = syn.src_conn;
  in->info = IncomingInfo{sender, syn.name, syn.file_size, syn.chunk_size};
  in->started = now_us();
  char tag[16];
  std::snprintf(tag, sizeof tag, "%08x", id);
  try {
    auto sink = std::make_unique<FileSink>(options_.receive_dir, received_file_name(sender, syn.name), tag);
    in->final_path = sink->final_path();
    in->sink = std::move(sink);
  } catch (const std::exception& e) {
    return refuse(from, syn.src_conn, 4, e.what(), ch.get());
  }
  in->channel = ch;
  in->machine = std::make_unique<ReceiverMachine>(ReceiverParams{config_for(options_.config, ch), id, syn}, *in->sink,
                                                  in->started);
  ++counters_.incoming_started;
  if (options_.on_incoming_started) options_.on_incoming_started(in->info);
  syn_index_[{from, syn.src_conn}] = id;
  incoming_[id] = std::move(in);
}

void UdpEndpoint::recheck_tickets() {
  for (auto& e : parked_.take_all()) {
    if (e.sealed.empty())
      admit(e.syn, e.from, e.until, nullptr);
    else
      handle_sealed(e.sealed, e.from, e.until);
  }
  flush();
}

// Answers a refused SYN with a small ABORT (never larger than the SYN).
void UdpEndpoint::refuse(const udp::endpoint& to, std::uint32_t conn, std::uint8_t reason, const std::string& text,
                         crypto::Channel* ch) {
  ++counters_.rejected_handshakes;
  send_abort(to, conn, static_cast<AbortReason>(reason), text, ch);
}

// The text is cut to 40 bytes so that the ABORT is never larger than the
// SYN or REQUEST it answers (no amplification). Sealed with the
// conversation's channel; without one only a plaintext endpoint answers.
void UdpEndpoint::send_abort(const udp::endpoint& to, std::uint32_t conn, AbortReason reason, const std::string& text,
                             crypto::Channel* ch) {
  if (sender_.full() && !flush_sends()) return;  // no room: the peer will time out instead
  const Packet abort{conn, Abort{reason, text.substr(0, 40)}};
  if (ch != nullptr) return void(commit_sealed(encode(abort, plain_, false), to, *ch));
  if (options_.plaintext) sender_.commit(encode(abort, sender_.buffer()), to);
}

// ---- sending ---------------------------------------------------------------

// Sends what is queued; false (and a wait for the socket) if it is full.
bool UdpEndpoint::flush_sends() {
  if (write_blocked_) return false;
  const bool done = sender_.flush() == BatchSender::Flush::done;
  counters_.datagrams_sent = sender_.datagrams_sent() + sender_.datagrams_dropped();
  counters_.send_calls = sender_.system_calls();
  counters_.receive_calls = receiver_.system_calls();
  if (!done) wait_writable();
  return done;
}

void UdpEndpoint::wait_writable() {
  write_blocked_ = true;
  if (watch_) return watch_->want_write();
  socket_.async_wait(udp::socket::wait_write, [this, alive = alive_](boost::system::error_code ec) {
    if (!*alive || ec == boost::asio::error::operation_aborted) return;
    write_blocked_ = false;
    flush();
  });
}

// Queues what the transfer may send now; false if the socket is full. A
// sealed transfer's machine writes into plain_, sealed from there into the
// send arena (no copy besides the encryption's).
template <class T>
bool UdpEndpoint::transmit(T& t) {
  auto now = now_us();
  for (;;) {
    if (sender_.full() && !flush_sends()) return false;
    if (!t.channel) {
      auto n = t.machine->poll_transmit(now, sender_.buffer());
      if (n == 0) return true;
      sender_.commit(n, t.peer);
      continue;
    }
    auto n = t.machine->poll_transmit(now, std::span(plain_).first(kMaxDatagram - crypto::kSealOverhead));
    if (n == 0) return true;
    commit_sealed(n, t.peer, *t.channel);
  }
}

// Lets every transfer send what it may now, reports progress and outcomes,
// and re-arms the timer for the earliest deadline.
void UdpEndpoint::flush() {
  send_due_requests(now_us());
  for (auto& [id, o] : outgoing_)
    if (!transmit(*o)) break;
  for (auto& [id, i] : incoming_)
    if (!transmit(*i)) break;
  flush_sends();
  auto now = now_us();
  if (now - last_progress_ >= static_cast<std::uint64_t>(options_.progress_interval.count()) * 1000)
    report_progress(now);
  reap();
  reschedule();
}

// ---- timers ----------------------------------------------------------------

// Arms the timer for the earliest deadline. A timer already set to fire
// earlier is left alone (fire_timers() re-arms): every change of the timer is
// a system call, and deadlines move later with almost every packet sent.
void UdpEndpoint::reschedule() {
  std::uint64_t next = kNever;
  for (auto& [id, o] : outgoing_) next = std::min(next, o->machine->next_deadline());
  for (auto& [id, i] : incoming_) next = std::min(next, i->machine->next_deadline());
  next = std::min({next, parked_.next_expiry(), next_request_deadline(), read_due_});
  if (write_blocked_ || next == kNever || next >= armed_) return;
  armed_ = next;
  auto now = now_us();
  timer_.expires_after(std::chrono::microseconds(next > now ? next - now : 0));
  timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (!*alive || ec == boost::asio::error::operation_aborted) return;
    armed_ = kNever;
    fire_timers();
  });
}

void UdpEndpoint::fire_timers() {
  auto now = now_us();
  for (auto& [id, o] : outgoing_)
    if (now >= o->machine->next_deadline()) o->machine->on_timer(now);
  for (auto& [id, i] : incoming_)
    if (now >= i->machine->next_deadline()) i->machine->on_timer(now);
  for (auto& e : parked_.take_expired(now)) refuse_parked(e, 2, "ticket not accepted");
  expire_requests(now);
  // A coalesced read due soon is done now: one wake-up instead of two.
  if (read_due_ != kNever && read_due_ <= now + static_cast<Micros>(options_.read_coalesce.count()) / 2 && !closed_) {
    read_due_ = kNever;
    on_readable();
  }
  flush();
}

void UdpEndpoint::close(const std::string& reason) {
  for (auto& [id, o] : outgoing_) o->machine->cancel("cancelled: " + reason);
  for (auto& [id, i] : incoming_) i->machine->close(AbortReason::receiver_closed, reason);
  for (auto& e : parked_.take_all()) refuse_parked(e, 3, reason);
  std::vector<std::uint32_t> unanswered;
  for (auto& [id, r] : requests_)
    if (r->incoming == 0) unanswered.push_back(id);
  for (auto id : unanswered) finish_request(id, RequestResult{id, false, false, "cancelled: " + reason, 0, 0});
  flush();
  closed_ = true;
}

}  // namespace edgehub::p2p
