#pragma once
// The PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1 and
// 2) that a load balancer in front of edgehubd sends before the client's
// own bytes, to say whose connection this is (docs/CLUSTER.md#load-balancing).
// A pure function over bytes, so the server and the fuzzer share it: no
// socket, no Asio.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace edgehub::net {

// Version 1 is one text line of at most 107 bytes with its CRLF; version 2
// is 16 bytes and a body of at most 65535 (its length field is 16 bits).
inline constexpr std::size_t kProxyV1MaxLength = 107;
inline constexpr std::size_t kProxyV2FixedLength = 16;
inline constexpr std::size_t kProxyV2MaxLength = kProxyV2FixedLength + 65535;
// Bytes that tell a header from anything else: version 2's signature.
inline constexpr std::size_t kProxySignatureLength = 12;

// The client's address as the proxy saw it.
struct ProxySource {
  bool ipv6 = false;
  std::array<std::uint8_t, 16> address{};  // network order; IPv4 in the first 4
  std::uint16_t port = 0;
};

struct ProxyHeader {
  enum class Status { need_more, complete, invalid };
  Status status = Status::need_more;
  // complete: how many bytes the header takes (the client's bytes follow).
  std::size_t length = 0;
  // complete: none when the header names no client (v2 LOCAL, a health
  // check; v1 UNKNOWN; v2 UNSPEC or UNIX addresses): the connection keeps
  // the socket's own address.
  std::optional<ProxySource> source;
  // invalid: why, in words for the error line and the log.
  std::string error;
};

// Decodes the header at the start of `bytes`. need_more promises that
// every byte given belongs to the header, so a reader may consume them all
// and come back with more; complete and invalid are final.
ProxyHeader decode_proxy_header(std::span<const std::uint8_t> bytes);

// Whether `bytes` begin with a header's signature: "PROXY " (version 1) or
// version 2's 12 bytes. Fewer bytes than the signature never match.
bool starts_with_proxy_signature(std::span<const std::uint8_t> bytes);

}  // namespace edgehub::net
