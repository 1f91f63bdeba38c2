// Fuzz target for the swarm's decoders (docs/SWARM.md#1-chunks-and-manifest):
// chunk lists (parse_chunk_list), chunk bitmaps (ChunkSet::from_hex) and a
// manifest arriving as digest blocks (DigestStream, manifest_problem). The
// first byte picks the decoder; each must accept or refuse cleanly, and
// what it accepts must round-trip. Inputs for the digest stream are tried as
// they are and with the root they claim patched to the correct one, so the
// fuzzer also reaches the accepting path.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "p2p/swarm/chunk_ranges.hpp"
#include "p2p/swarm/digest_stream.hpp"
#include "p2p/swarm/manifest.hpp"

namespace {

using namespace edgehub::p2p::swarm;
using edgehub::Sha256Digest;

void require(bool ok) {
  if (!ok) std::abort();
}

std::uint32_t read_u16(std::string_view& in) {
  if (in.size() < 2) return 0;
  const auto v = static_cast<std::uint32_t>(static_cast<unsigned char>(in[0]) << 8 | static_cast<unsigned char>(in[1]));
  in.remove_prefix(2);
  return v;
}

void chunk_list(std::string_view in) {
  const std::uint32_t count = read_u16(in);
  std::string error;
  const auto chunks = parse_chunk_list(in, count, &error);
  if (!chunks) return require(!error.empty());
  for (std::size_t i = 0; i < chunks->size(); ++i)
    require((*chunks)[i] < count && (i == 0 || (*chunks)[i - 1] < (*chunks)[i]));
  require(parse_chunk_list(format_chunk_ranges(*chunks), count, nullptr) == chunks);
}

void chunk_bitmap(std::string_view in) {
  const std::uint32_t size = read_u16(in);
  const auto set = ChunkSet::from_hex(in, size);
  if (!set) return;
  require(set->to_hex() == in);
  const auto chunks = set->chunks();
  require(chunks.size() == set->count() && set->count() <= size);
  require(parse_chunk_list(set->ranges(), size, nullptr).value_or(std::vector<std::uint32_t>{}) == chunks);
}

// in: size (u16, in 256-byte units plus a tail byte), chunk-size exponent,
// block split length, then the digest bytes.
void digest_stream(std::string_view in, bool patch_root) {
  if (in.size() < 5) return;  // the header: 2 + 3 bytes
  const std::uint64_t size = std::uint64_t{read_u16(in)} * 256 + static_cast<unsigned char>(in[0]);
  const std::uint32_t chunk_size = std::uint32_t{1} << (static_cast<unsigned char>(in[1]) % 32);
  const std::size_t split = 1 + static_cast<unsigned char>(in[2]) % 64;
  in.remove_prefix(3);
  if (!geometry_problem(size, chunk_size).empty()) return;
  Sha256Digest root{};
  if (patch_root) {
    std::vector<Sha256Digest> chunks(in.size() / 32);
    for (std::size_t i = 0; i < chunks.size(); ++i)
      for (std::size_t j = 0; j < 32; ++j) chunks[i][j] = static_cast<unsigned char>(in[32 * i + j]);
    root = root_of(size, chunk_size, chunks);
  }
  DigestStream stream(size, chunk_size, root);
  for (std::size_t at = 0; at < in.size(); at += split) stream.add(in.substr(at, split));
  require(stream.received_bytes() == in.size());
  auto result = stream.finish();
  if (auto* m = std::get_if<Manifest>(&result)) {
    require(manifest_problem(*m).empty() && m->root == root && m->chunks.size() * 32 == in.size());
  } else {
    require(!std::get<std::string>(result).empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      chunk_list(in);
      break;
    case 1:
      chunk_bitmap(in);
      break;
    default:
      digest_stream(in, false);
      digest_stream(in, true);
  }
  return 0;
}
