#pragma once
// One write in flight at a time through Linux native AIO (io_submit), for
// a file opened with O_DIRECT: the only case where the kernel runs it
// without the caller's thread. UploadWriter hashes and gathers the next
// MiB of an upload while the last one goes to the disk.
#include <linux/aio_abi.h>

#include <cstddef>
#include <cstdint>

namespace edgehub::hub {

class AioWrite {
 public:
  AioWrite();   // valid() says whether the kernel gave a context
  ~AioWrite();  // waits for a write still in flight: its memory is the caller's
  AioWrite(const AioWrite&) = delete;
  AioWrite& operator=(const AioWrite&) = delete;

  bool valid() const { return context_ != 0; }
  bool busy() const { return busy_; }
  // Starts writing bytes at offset; 0, or the errno of a refused submit.
  int submit(int fd, const char* data, std::size_t bytes, std::uint64_t offset);
  // Waits for the write in flight: the bytes written, or -errno.
  long long wait();

 private:
  aio_context_t context_ = 0;
  iocb request_{};
  bool busy_ = false;
};

}  // namespace edgehub::hub
