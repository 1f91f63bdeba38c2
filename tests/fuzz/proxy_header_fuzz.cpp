// Fuzz target for the PROXY protocol decoder (src/net/proxy_header.*,
// docs/CLUSTER.md#load-balancing). Any input must decode or fail cleanly,
// and the promises the reader (src/net/proxy_reader.cpp) relies on hold:
// a complete header fits in the input and within version 2's maximum; a
// need_more answer stays need_more or turns complete/invalid for every
// prefix, never complete on fewer bytes (so consuming them was safe); the
// answer for the header's own bytes is the same as with the client's bytes
// after it; and feeding the input byte by byte reaches the same answer.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "net/proxy_header.hpp"

namespace {

using edgehub::net::decode_proxy_header;
using edgehub::net::ProxyHeader;
using Status = ProxyHeader::Status;

void require(bool ok) {
  if (!ok) std::abort();
}

bool same(const ProxyHeader& a, const ProxyHeader& b) {
  if (a.status != b.status || a.length != b.length || a.source.has_value() != b.source.has_value()) return false;
  if (!a.source) return true;
  return a.source->ipv6 == b.source->ipv6 && a.source->address == b.source->address && a.source->port == b.source->port;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  const ProxyHeader whole = decode_proxy_header(input);
  if (whole.status == Status::complete) {
    require(whole.length > 0 && whole.length <= size && whole.length <= edgehub::net::kProxyV2MaxLength);
    require(same(decode_proxy_header(input.first(whole.length)), whole));
  }
  if (whole.status == Status::invalid) require(!whole.error.empty());
  (void)edgehub::net::starts_with_proxy_signature(input);
  // Every shorter prefix is need_more until the answer is known; the first
  // prefix that is not need_more gives the whole input's answer.
  for (std::size_t n = 0; n <= size && n <= 4096; ++n) {
    const ProxyHeader part = decode_proxy_header(input.first(n));
    if (part.status == Status::need_more) continue;
    require(same(part, whole));
    break;
  }
  return 0;
}
