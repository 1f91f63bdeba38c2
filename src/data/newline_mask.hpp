#pragma once
// Where the '\n' bytes are in a 64-byte block, as a bit mask (bit i set when
// block[i] == '\n'). With SSE2 (every x86-64) that is four compares and four
// movemasks; elsewhere a plain loop.
#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace edgehub::data::fast {

inline std::uint64_t newline_mask(const char* block) {
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  std::uint64_t mask = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * i));
    const auto bits = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, newline)));
    mask |= std::uint64_t{bits} << (16 * i);
  }
  return mask;
#else
  std::uint64_t mask = 0;
  for (int i = 0; i < 64; ++i) mask |= std::uint64_t{block[i] == '\n'} << i;
  return mask;
#endif
}

}  // namespace edgehub::data::fast
