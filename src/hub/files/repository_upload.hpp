#pragma once
// One upload in progress: a hidden temporary in the repository that becomes
// NAME only once every declared byte has arrived and the SHA-256 matches
// (fsync of the file, atomic rename, fsync of the directory). Until then no
// reader can see it; if anything fails, or the upload is dropped (client
// gone), the temporary is removed and its reserved space freed.
// Not thread-safe: one upload is driven by one session, its steps in order
// (each on a worker thread, see file_handlers.cpp).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/sha256.hpp"
#include "hub/files/repository.hpp"

namespace edgehub::hub {

class Upload {
 public:
  Upload(std::shared_ptr<Repository> repo, UploadRequest request, UniqueFd temp, std::string temp_name);
  ~Upload();
  Upload(const Upload&) = delete;
  Upload& operator=(const Upload&) = delete;

  // Appends a block. Throws FileRefusal if it goes past the declared size
  // or the disk is full (507), std::system_error on another disk fault.
  void write(std::string_view block);
  // Verifies size and hash (if one was declared) and publishes the file
  // under its name; returns its SHA-256 (hex). Throws FileRefusal on a
  // mismatch or if the name was taken meanwhile.
  std::string commit();

  const UploadRequest& request() const { return request_; }
  std::uint64_t received() const { return received_; }
  const std::string& temp_name() const { return temp_name_; }

 private:
  void publish();

  std::shared_ptr<Repository> repo_;
  UploadRequest request_;
  UniqueFd temp_;
  std::string temp_name_;
  Sha256 hash_;
  std::uint64_t received_ = 0;
  bool committed_ = false;
};

}  // namespace edgehub::hub
