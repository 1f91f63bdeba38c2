#include "hub/files/repository_upload.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include <fmt/format.h>

#include "common/strings.hpp"
#include "hub/files/repository_refusal.hpp"

namespace edgehub::hub {

using protocol::StatusCode;

Upload::Upload(std::shared_ptr<Repository> repo, UploadRequest request, UniqueFd temp, std::string temp_name)
    : repo_(std::move(repo)), request_(std::move(request)), temp_(std::move(temp)), temp_name_(std::move(temp_name)) {}

Upload::~Upload() {
  if (!committed_) ::unlinkat(repo_->dir_fd(), temp_name_.c_str(), 0);
  repo_->release(request_.owner, request_.size);
}

void Upload::write(std::string_view block) {
  if (block.size() > request_.size - received_)
    throw FileRefusal(
        StatusCode::BadRequest,
        fmt::format("More data than the {} bytes declared for '{}'; upload discarded", request_.size, request_.name));
  try {
    write_all_at(temp_.get(), block.data(), block.size(), received_, "write upload of " + request_.name);
  } catch (const std::system_error& e) {
    // Preallocation (Repository::claim_disk) makes this rare: a filesystem
    // without fallocate, or a disk filled by someone else.
    if (e.code().value() != ENOSPC && e.code().value() != EDQUOT) throw;
    throw FileRefusal(StatusCode::DiskFull,
                      fmt::format("Not enough disk space on the server for '{}' after {} of its {}; upload discarded",
                                  request_.name, byte_count_text(received_), byte_count_text(request_.size)));
  }
  hash_.update(block.data(), block.size());
  received_ += block.size();
}

std::string Upload::commit() {
  if (received_ != request_.size)
    throw FileRefusal(StatusCode::BadRequest,
                      fmt::format("Received {} of the {} bytes declared for '{}'; upload discarded", received_,
                                  request_.size, request_.name));
  const std::string sha = digest_hex(hash_.finish());
  if (!request_.sha256.empty() && sha != request_.sha256)
    throw FileRefusal(StatusCode::BadRequest,
                      fmt::format("SHA-256 of the data received for '{}' is {}, not the {} declared; upload discarded",
                                  request_.name, sha, request_.sha256));
  publish();
  struct stat st {};
  if (::fstat(temp_.get(), &st) == 0) repo_->hashes().remember(request_.name, stamp_of(st), sha);
  return sha;
}

void Upload::publish() {
  // Durable before visible: the data reaches the disk, then the name
  // appears in one atomic step, then the directory entry is made durable.
  if (::fsync(temp_.get()) != 0) throw_errno(errno, "fsync upload of " + request_.name);
  const int dir = repo_->dir_fd();
  // RENAME_NOREPLACE: a file stored under the same name since the upload
  // began is never overwritten without --replace.
  const unsigned flags = request_.replace ? 0 : RENAME_NOREPLACE;
  if (::renameat2(dir, temp_name_.c_str(), dir, request_.name.c_str(), flags) != 0) {
    if (errno == EEXIST)
      throw FileRefusal(
          StatusCode::Conflict,
          fmt::format("'{}' was stored by someone else meanwhile; use 'put -f PATH' to replace it", request_.name));
    throw_errno(errno, "rename upload to " + request_.name);
  }
  committed_ = true;
  if (::fsync(dir) != 0) throw_errno(errno, "fsync repository directory");
}

}  // namespace edgehub::hub
