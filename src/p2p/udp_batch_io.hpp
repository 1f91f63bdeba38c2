#pragma once
// Batched UDP socket I/O for the EHT driver (Linux): many datagrams per
// system call, because at loopback speeds the per-datagram system calls,
// not the protocol, cost the most.
//
// BatchSender: datagrams are written straight into one arena. Consecutive
// datagrams to the same peer with the same size (the last one may be
// shorter) form one UDP GSO super-datagram (UDP_SEGMENT: the kernel cuts it
// into the original datagrams, on the wire they are unchanged), and up to
// 64 such groups leave in one sendmmsg. If the kernel refuses GSO, groups of
// one are sent instead.
//
// BatchReceiver: recvmmsg into 64 KiB buffers with UDP GRO enabled, so the
// kernel may hand over several same-size datagrams from one sender in one
// buffer; they are split again here (each keeps its own CRC, so nothing is
// trusted that was not checked).
//
// Both work on a non-blocking socket descriptor owned by someone else.
#include <boost/asio/ip/udp.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace edgehub::p2p {

using boost::asio::ip::udp;

class BatchSender {
 public:
  explicit BatchSender(int fd);

  // Room for the next datagram (at least kMaxDatagram bytes); fill it, then commit().
  std::span<std::uint8_t> buffer();
  void commit(std::size_t n, const udp::endpoint& to);
  // True when buffer() has no room left: flush() first.
  bool full() const;
  bool empty() const { return next_ == groups_.size(); }

  enum class Flush { done, blocked };
  // Sends what is queued. blocked: the socket buffer is full, the rest stays
  // queued; flush again once the socket is writable.
  Flush flush();

  std::uint64_t datagrams_sent() const { return datagrams_sent_; }
  std::uint64_t datagrams_dropped() const { return datagrams_dropped_; }  // refused by the kernel
  std::uint64_t system_calls() const { return system_calls_; }
  bool gso() const { return gso_; }

 private:
  struct Group {
    std::size_t offset = 0;  // in the arena
    std::size_t bytes = 0;
    std::uint16_t segment = 0;  // size of every datagram but the last
    std::uint16_t count = 0;
    udp::endpoint to;
  };
  bool extends_last(std::size_t n, const udp::endpoint& to) const;
  int send_batch(std::size_t first, std::size_t count);
  void split_groups();
  void reset();

  int fd_;
  bool gso_ = true;
  // Not zeroed (nor paged in) until the kernel or a datagram writes it: on
  // the test VMs each fresh page costs a fault into the hypervisor, and
  // zeroing these buffers at an endpoint's start took 9 ms of a swarm
  // download's first 50 (docs/BENCHMARKS.md#reading-the-swarm-figures).
  std::unique_ptr<std::uint8_t[]> arena_;
  std::size_t used_ = 0;
  std::vector<Group> groups_;
  std::size_t next_ = 0;  // first group not yet sent
  std::uint64_t datagrams_sent_ = 0, datagrams_dropped_ = 0, system_calls_ = 0;
};

class BatchReceiver {
 public:
  explicit BatchReceiver(int fd);

  // Reads what is queued, at most one recvmmsg. Returns the number of
  // buffers read; 0 if nothing was waiting (or on an error to ignore, such
  // as an ICMP report).
  std::size_t receive();
  // Calls f(std::span<const std::uint8_t> datagram, const udp::endpoint& from)
  // for each datagram of the last receive().
  template <class F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < count_; ++i) {
      const std::uint8_t* p = buffers_.get() + i * kBufferSize;
      std::size_t left = lengths_[i];
      const std::size_t seg = segments_[i] > 0 ? segments_[i] : left;
      while (left > 0) {
        const std::size_t n = left < seg ? left : seg;
        f(std::span<const std::uint8_t>(p, n), from_[i]);
        p += n;
        left -= n;
      }
    }
  }
  bool gro() const { return gro_; }
  std::uint64_t system_calls() const { return system_calls_; }
  std::uint64_t truncated() const { return truncated_; }

  static constexpr std::size_t kBatch = 32;
  static constexpr std::size_t kBufferSize = 65536;

 private:
  int fd_;
  bool gro_ = false;
  std::unique_ptr<std::uint8_t[]> buffers_;  // kBatch x kBufferSize, not zeroed (arena_ above says why)
  std::vector<std::uint8_t> controls_;
  std::vector<std::size_t> lengths_, segments_;
  std::vector<udp::endpoint> from_;
  std::size_t count_ = 0;
  std::uint64_t system_calls_ = 0, truncated_ = 0;
};

}  // namespace edgehub::p2p
