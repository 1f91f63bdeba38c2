#pragma once
// A read-only memory map of a whole file (RAII). Reading a stored upload this
// way costs no copy and no per-line allocation.
#include <filesystem>
#include <string>
#include <string_view>

namespace edgehub::data {

class MappedFile {
 public:
  // Throws std::system_error when the file cannot be opened or mapped.
  explicit MappedFile(const std::filesystem::path& path);
  // Maps the file open as fd (opened by the caller, e.g. with openat and
  // O_NOFOLLOW; the caller keeps and closes it).
  explicit MappedFile(int fd);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  void map(int fd, const std::string& name);
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace edgehub::data
