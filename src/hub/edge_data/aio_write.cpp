#include "hub/edge_data/aio_write.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace edgehub::hub {

// glibc has no wrappers for the kernel's AIO calls (libaio would be one
// more dependency for three system calls).
AioWrite::AioWrite() {
  if (::syscall(SYS_io_setup, 1, &context_) != 0) context_ = 0;
}

AioWrite::~AioWrite() {
  if (!valid()) return;
  if (busy_) wait();
  ::syscall(SYS_io_destroy, context_);
}

int AioWrite::submit(int fd, const char* data, std::size_t bytes, std::uint64_t offset) {
  std::memset(&request_, 0, sizeof request_);
  request_.aio_fildes = static_cast<std::uint32_t>(fd);
  request_.aio_lio_opcode = IOCB_CMD_PWRITE;
  request_.aio_buf = reinterpret_cast<std::uint64_t>(data);
  request_.aio_nbytes = bytes;
  request_.aio_offset = static_cast<std::int64_t>(offset);
  iocb* requests[1] = {&request_};
  for (;;) {
    const long n = ::syscall(SYS_io_submit, context_, 1, requests);
    if (n == 1) {
      busy_ = true;
      return 0;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 ? errno : EAGAIN;
  }
}

long long AioWrite::wait() {
  io_event event{};
  for (;;) {
    const long n = ::syscall(SYS_io_getevents, context_, 1, 1, &event, nullptr);
    if (n == 1) break;
    if (n < 0 && errno == EINTR) continue;
    busy_ = false;
    return n < 0 ? -errno : -EIO;
  }
  busy_ = false;
  return event.res;
}

}  // namespace edgehub::hub
