#pragma once
// Test-only: a lying seeder (tests/integration/test_swarm.py). With
// EDGEHUB_TEST_CORRUPT_CHUNKS=1 in its environment, a client flips the first
// byte of every chunk it serves from a shared file, so the downloaders'
// per-chunk check must catch it (docs/SWARM.md#5-downloader-and-seeder).
// Never set it otherwise.
#include <cstdint>
#include <memory>

#include "p2p/chunk_io.hpp"

namespace edgehub::client::swarm {

bool corrupt_chunks_for_tests();  // the variable is read once
// Wraps the source of a range that starts at a chunk boundary.
std::unique_ptr<p2p::ChunkSource> corrupting(std::unique_ptr<p2p::ChunkSource> source, std::uint32_t chunk_size);

}  // namespace edgehub::client::swarm
