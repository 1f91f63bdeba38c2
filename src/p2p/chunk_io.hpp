#pragma once
// Where the state machines get and put file bytes. Implementations stream
// from/to disk (file_source.hpp, file_sink.hpp); tests use memory.
#include <cstdint>
#include <span>

namespace edgehub::p2p {

class ChunkSource {
 public:
  virtual ~ChunkSource() = default;
  virtual std::uint64_t size() const = 0;
  // Fills out with the bytes at offset; throws std::runtime_error on I/O
  // errors or if the file got shorter.
  virtual void read(std::uint64_t offset, std::span<std::uint8_t> out) = 0;
};

class ChunkSink {
 public:
  virtual ~ChunkSink() = default;
  // Appends the next bytes of the file (always in order); throws on errors.
  virtual void write(std::span<const std::uint8_t> data) = 0;
  // The hash matched: make the file durable and visible under its final name.
  virtual void commit() = 0;
  // The transfer failed: remove every trace. Must not throw.
  virtual void discard() noexcept = 0;
};

}  // namespace edgehub::p2p
