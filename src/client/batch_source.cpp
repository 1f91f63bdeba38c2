// Batch mode: standard input is not a terminal. Lines are read as they are
// (a trailing "\r" dropped); no prompts are printed.
#include <iostream>

#include "client/line_source.hpp"

namespace edgehub::client {
namespace {

class BatchSource final : public LineSource {
 public:
  bool interactive() const override { return false; }
  std::optional<std::string> read_line(const std::string& /*prompt*/) override {
    std::string line;
    if (!std::getline(std::cin, line)) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  std::optional<std::string> read_secret(const std::string& prompt) override { return read_line(prompt); }
};

}  // namespace

std::unique_ptr<LineSource> make_batch_source() { return std::make_unique<BatchSource>(); }

}  // namespace edgehub::client
