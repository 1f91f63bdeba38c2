#include "p2p/udp_batch_io.hpp"

#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "p2p/packet.hpp"

namespace edgehub::p2p {
namespace {

constexpr std::size_t kArena = (1 << 20) + kMaxDatagram;
constexpr std::size_t kMaxGroups = 1024;
constexpr std::size_t kMessagesPerCall = 64;
constexpr std::uint16_t kMaxSegments = 64;   // UDP_MAX_SEGMENTS of older kernels
constexpr std::size_t kMaxGsoBytes = 65000;  // one IP datagram carries the whole group
constexpr std::size_t kSendControl = CMSG_SPACE(sizeof(std::uint16_t));
constexpr std::size_t kReceiveControl = CMSG_SPACE(sizeof(int));

// Errors after which a GSO group may still go out as single datagrams.
bool gso_refused(int e) { return e == EIO || e == EINVAL || e == EMSGSIZE || e == ENOPROTOOPT || e == EOPNOTSUPP; }

}  // namespace

// ---- sending ----------------------------------------------------------------

BatchSender::BatchSender(int fd) : fd_(fd), arena_(std::make_unique_for_overwrite<std::uint8_t[]>(kArena)) {
  groups_.reserve(kMaxGroups);
}

std::span<std::uint8_t> BatchSender::buffer() { return {arena_.get() + used_, kArena - used_}; }

bool BatchSender::full() const { return used_ + kMaxDatagram > kArena || groups_.size() >= kMaxGroups; }

// A datagram joins the last group if it continues it exactly: same peer, the
// group's datagrams so far all full-size, and no larger than them.
bool BatchSender::extends_last(std::size_t n, const udp::endpoint& to) const {
  if (!gso_ || groups_.size() == next_) return false;
  const Group& g = groups_.back();
  return g.count < kMaxSegments && n <= g.segment && g.bytes == std::size_t{g.segment} * g.count &&
         g.bytes + n <= kMaxGsoBytes && g.to == to;
}

void BatchSender::commit(std::size_t n, const udp::endpoint& to) {
  if (n == 0) return;
  if (extends_last(n, to)) {
    groups_.back().bytes += n;
    ++groups_.back().count;
  } else {
    groups_.push_back(Group{used_, n, static_cast<std::uint16_t>(n), 1, to});
  }
  used_ += n;
}

// One sendmmsg for groups [first, first + count); returns how many were
// sent, or -errno.
int BatchSender::send_batch(std::size_t first, std::size_t count) {
  std::array<mmsghdr, kMessagesPerCall> msgs{};
  std::array<iovec, kMessagesPerCall> iov{};
  alignas(cmsghdr) std::array<std::array<char, kSendControl>, kMessagesPerCall> control{};
  for (std::size_t i = 0; i < count; ++i) {
    Group& g = groups_[first + i];
    iov[i] = {arena_.get() + g.offset, g.bytes};
    msghdr& h = msgs[i].msg_hdr;
    h.msg_name = g.to.data();
    h.msg_namelen = static_cast<socklen_t>(g.to.size());
    h.msg_iov = &iov[i];
    h.msg_iovlen = 1;
    if (g.count < 2) continue;
    h.msg_control = control[i].data();
    h.msg_controllen = kSendControl;
    cmsghdr* c = CMSG_FIRSTHDR(&h);
    c->cmsg_level = SOL_UDP;
    c->cmsg_type = UDP_SEGMENT;
    c->cmsg_len = CMSG_LEN(sizeof(std::uint16_t));
    std::memcpy(CMSG_DATA(c), &g.segment, sizeof g.segment);
  }
  ++system_calls_;
  const int n = ::sendmmsg(fd_, msgs.data(), static_cast<unsigned>(count), MSG_DONTWAIT);
  return n >= 0 ? n : -errno;
}

BatchSender::Flush BatchSender::flush() {
  while (next_ < groups_.size()) {
    const std::size_t count = std::min(groups_.size() - next_, kMessagesPerCall);
    const int n = send_batch(next_, count);
    if (n == -EINTR) continue;
    if (n == -EAGAIN || n == -EWOULDBLOCK) return Flush::blocked;
    if (n < 0 && groups_[next_].count > 1 && gso_refused(-n)) {
      gso_ = false;  // e.g. a device without checksum offload: send them one by one
      split_groups();
      continue;
    }
    if (n < 0) {  // this datagram cannot go (unreachable, ENOBUFS...): it counts as lost
      datagrams_dropped_ += groups_[next_++].count;
      continue;
    }
    for (int i = 0; i < n; ++i) datagrams_sent_ += groups_[next_++].count;
  }
  reset();
  return Flush::done;
}

// Turns every unsent group into single datagrams.
void BatchSender::split_groups() {
  std::vector<Group> singles(groups_.begin(), groups_.begin() + static_cast<std::ptrdiff_t>(next_));
  for (std::size_t i = next_; i < groups_.size(); ++i) {
    const Group& g = groups_[i];
    for (std::size_t off = 0; off < g.bytes; off += g.segment) {
      const std::size_t n = std::min<std::size_t>(g.segment, g.bytes - off);
      singles.push_back(Group{g.offset + off, n, static_cast<std::uint16_t>(n), 1, g.to});
    }
  }
  groups_ = std::move(singles);
}

void BatchSender::reset() {
  groups_.clear();
  next_ = 0;
  used_ = 0;
}

// ---- receiving --------------------------------------------------------------

BatchReceiver::BatchReceiver(int fd)
    : fd_(fd),
      buffers_(std::make_unique_for_overwrite<std::uint8_t[]>(kBatch * kBufferSize)),
      controls_(kBatch * kReceiveControl),
      lengths_(kBatch),
      segments_(kBatch),
      from_(kBatch) {
  int on = 1;
  gro_ = ::setsockopt(fd_, SOL_UDP, UDP_GRO, &on, sizeof on) == 0;
}

std::size_t BatchReceiver::receive() {
  std::array<mmsghdr, kBatch> msgs{};
  std::array<iovec, kBatch> iov{};
  std::array<sockaddr_storage, kBatch> names{};
  for (std::size_t i = 0; i < kBatch; ++i) {
    iov[i] = {buffers_.get() + i * kBufferSize, kBufferSize};
    msghdr& h = msgs[i].msg_hdr;
    h.msg_name = &names[i];
    h.msg_namelen = sizeof names[i];
    h.msg_iov = &iov[i];
    h.msg_iovlen = 1;
    h.msg_control = controls_.data() + i * kReceiveControl;
    h.msg_controllen = kReceiveControl;
  }
  ++system_calls_;
  const int n = ::recvmmsg(fd_, msgs.data(), kBatch, MSG_DONTWAIT, nullptr);
  count_ = n > 0 ? static_cast<std::size_t>(n) : 0;
  for (std::size_t i = 0; i < count_; ++i) {
    const msghdr& h = msgs[i].msg_hdr;
    lengths_[i] = msgs[i].msg_len;
    segments_[i] = 0;
    if ((h.msg_flags & MSG_TRUNC) != 0) {  // larger than any datagram of ours: drop it
      ++truncated_;
      lengths_[i] = 0;
    }
    for (cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr; c = CMSG_NXTHDR(const_cast<msghdr*>(&h), c)) {
      if (c->cmsg_level != SOL_UDP || c->cmsg_type != UDP_GRO) continue;
      int seg = 0;
      std::memcpy(&seg, CMSG_DATA(c), sizeof seg);
      if (seg > 0) segments_[i] = static_cast<std::size_t>(seg);
    }
    udp::endpoint& ep = from_[i];
    std::memcpy(ep.data(), &names[i], std::min<std::size_t>(h.msg_namelen, ep.capacity()));
    ep.resize(std::min<std::size_t>(h.msg_namelen, ep.capacity()));
  }
  return count_;
}

}  // namespace edgehub::p2p
