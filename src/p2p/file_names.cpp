#include "p2p/file_names.hpp"

namespace edgehub::p2p {

std::string received_file_name(std::string_view sender, std::string_view file) {
  std::string out(sender);
  out += '_';
  out += file;
  return out;
}

}  // namespace edgehub::p2p
