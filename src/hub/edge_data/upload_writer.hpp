#pragma once
// Writes an upload to its temporary file as it arrives, past the page
// cache where the file system allows (O_DIRECT). On this machine, copying a
// GB into fresh page-cache pages took 1.0-1.3 s of the writing thread's
// CPU (perf: copy_folio_from_iter_atomic), and the fsync at the install
// then waited for all of it; direct writes of 1 MiB move it to the disk
// without that copy (dd: 1.5 GB/s, oflag=direct) and leave the fsync
// little to do. Direct I/O needs aligned memory, lengths and offsets, so
// blocks are gathered in one of two aligned buffers; each full MiB goes to
// the disk through Linux AIO (aio_write.hpp) while the next one is
// gathered, and the tail goes through the page cache at finish(). Where
// O_DIRECT is refused (some network file systems) every write is buffered,
// and each 4 MiB written starts its writeback (sync_file_range), so that
// the fsync finds little left.
//
// One thread at a time (EdgeSpool's job).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "hub/edge_data/aio_write.hpp"

namespace edgehub::hub {

class UploadWriter {
 public:
  // Tries O_DIRECT on fd unless told not to (tests of the buffered path).
  explicit UploadWriter(int fd, bool try_direct = true);
  // Each returns the errno of a failed write, 0 if all was written.
  int append(std::string_view block);
  int finish();  // writes what is gathered and waits; the fd is then as opened
  bool direct() const { return direct_; }

 private:
  struct FreeAligned {
    void operator()(char* p) const;
  };
  struct InFlight {
    const char* data = nullptr;
    std::size_t bytes = 0;
    std::uint64_t offset = 0;
  };
  char* gathering() const { return buffers_[current_].get(); }
  int send_gathered();                                 // the aligned part of what is gathered, to the disk
  int finish_in_flight();                              // waits for the AIO write, writes what it did not
  int write_now(const char* data, std::size_t bytes);  // at the end, direct or buffered
  int write_at(const char* data, std::size_t bytes, std::uint64_t offset);
  bool stop_direct();

  const int fd_;
  bool direct_ = false;
  std::unique_ptr<char, FreeAligned> buffers_[2];
  int current_ = 0;
  std::size_t gathered_ = 0;
  std::uint64_t end_ = 0;  // where the next write goes (past an AIO write in flight)
  InFlight in_flight_;
  AioWrite aio_;  // declared after the buffers: destroyed first, waiting for its write
};

}  // namespace edgehub::hub
