#pragma once
// Writes an upload to its temporary file as it arrives, past the page
// cache where the file system allows (O_DIRECT). On this machine, copying a
// GB into fresh page-cache pages took 1.0-1.3 s of the writing thread's
// CPU (perf: copy_folio_from_iter_atomic), and the fsync at the install
// then waited for all of it; direct writes of 1 MiB move it to the disk
// without that copy (dd: 1.5 GB/s, oflag=direct) and leave the fsync
// little to do. Direct I/O needs aligned memory, lengths and offsets, so
// blocks are gathered in an aligned buffer and written a MiB at a time;
// the tail goes through the page cache at finish(). Where O_DIRECT is
// refused (tmpfs, some network file systems) every write is buffered, and
// each 4 MiB written starts its writeback (sync_file_range), so that the
// fsync finds little left.
//
// One thread at a time (EdgeSpool's job).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace edgehub::hub {

class UploadWriter {
 public:
  // Tries O_DIRECT on fd unless told not to (tests of the buffered path).
  explicit UploadWriter(int fd, bool try_direct = true);
  // Each returns the errno of a failed write, 0 if all was written.
  int append(std::string_view block);
  int finish();  // writes what is gathered; the fd is then as opened
  bool direct() const { return direct_; }

 private:
  struct FreeAligned {
    void operator()(char* p) const;
  };
  int write_gathered(std::size_t bytes);  // O_DIRECT: an aligned prefix of the buffer
  int write_buffered(std::string_view block);
  bool stop_direct();

  const int fd_;
  bool direct_ = false;
  std::unique_ptr<char, FreeAligned> buffer_;
  std::size_t gathered_ = 0;
  std::uint64_t written_ = 0;
};

}  // namespace edgehub::hub
