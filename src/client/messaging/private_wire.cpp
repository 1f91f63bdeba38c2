#include "client/messaging/private_wire.hpp"

#include <random>

#include "common/strings.hpp"

namespace edgehub::client {

std::string encode_hello(std::string_view name, std::string_view token) {
  std::string line(kPrivateHello);
  line.append(" ").append(name).append(" ").append(token).append("\n");
  return line;
}

std::optional<PrivateHello> parse_hello(std::string_view line) {
  const auto words = split_words(trim(line), 4);
  if (words.size() != 3 || words[0] != kPrivateHello) return std::nullopt;
  return PrivateHello{std::string(words[1]), std::string(words[2])};
}

std::string make_private_token() {
  std::random_device device;  // the kernel's CSPRNG on Linux
  unsigned char bytes[16];
  for (auto& b : bytes) b = static_cast<unsigned char>(device());
  return to_hex(bytes, sizeof bytes);
}

}  // namespace edgehub::client
