#include "client/messaging/private_records.hpp"

#include <span>

#include "client/messaging/private_wire.hpp"

namespace edgehub::client {

namespace crypto = p2p::crypto;

namespace {

constexpr std::size_t kHeader = 4;

std::span<const std::uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace

std::string private_key_context(const PrivateParties& parties) {
  return std::string(kPrivateHello) + " " + parties.initiator + " " + parties.listener + " " + parties.token;
}

std::optional<PrivateCipher> PrivateCipher::make(const crypto::KxKeyPair& mine, std::string_view my_offer,
                                                 const crypto::PeerKey& theirs, bool is_initiator,
                                                 const PrivateParties& parties) {
  const auto keys = crypto::derive_transfer_keys(mine, my_offer, theirs, is_initiator, private_key_context(parties));
  if (!keys) return std::nullopt;
  return PrivateCipher(crypto::Aead::make(keys->tx, keys->cipher), crypto::Aead::make(keys->rx, keys->cipher),
                       crypto::short_authentication_string(mine.public_key, theirs.key));
}

std::string PrivateCipher::seal(std::string_view line) {
  const std::size_t length = line.size() + tx_.overhead();
  std::string record(kHeader + length, '\0');
  for (std::size_t i = 0; i < kHeader; ++i) record[i] = static_cast<char>(length >> (8 * (kHeader - 1 - i)));
  auto* out = reinterpret_cast<std::uint8_t*>(record.data());
  tx_.seal(sent_++, std::span<const std::uint8_t>(out, kHeader), bytes(line), out + kHeader);
  return record;
}

std::variant<PrivateCipher::Opened, PrivateCipher::NeedMore, PrivateCipher::Bad> PrivateCipher::open(
    std::string& buffer) {
  if (buffer.size() < kHeader) return NeedMore{};
  std::size_t length = 0;
  for (std::size_t i = 0; i < kHeader; ++i) length = (length << 8) | static_cast<unsigned char>(buffer[i]);
  if (length < rx_.overhead() || length > kPrivateMaxRecord)
    return Bad{"had an impossible length (" + std::to_string(length) + " bytes)"};
  if (buffer.size() < kHeader + length) return NeedMore{};
  std::string line(length - rx_.overhead(), '\0');
  const auto all = bytes(buffer);
  if (!rx_.open(received_, all.subspan(0, kHeader), all.subspan(kHeader, length),
                reinterpret_cast<std::uint8_t*>(line.data())))
    return Bad{"failed authentication"};
  ++received_;
  buffer.erase(0, kHeader + length);
  return line;
}

}  // namespace edgehub::client
