#include "p2p/file_names.hpp"

#include <algorithm>

namespace edgehub::p2p {

bool is_plain_file_name(std::string_view name) {
  if (name.empty() || name.size() > 255 || name == "." || name == "..") return false;
  return std::none_of(name.begin(), name.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return c == '/' || c == '\\' || u < 0x20 || u == 0x7F;
  });
}

std::string received_file_name(std::string_view sender, std::string_view file) {
  std::string out(sender);
  out += '_';
  out += file;
  return out;
}

}  // namespace edgehub::p2p
