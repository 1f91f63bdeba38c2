#pragma once
// An immutable string held by reference: copies share one heap block. For
// a value that several tables keep for as long as a device is online (its
// `udpkey`, in the session and in the directory): 16 bytes in each instead
// of a 32-byte std::string and a heap copy each
// (docs/BENCHMARKS.md#memory-per-device). Reads like a const std::string.
#include <memory>
#include <string>
#include <utility>

namespace edgehub {

class SharedText {
 public:
  SharedText() = default;
  // An empty text holds nothing.
  SharedText(std::string text)  // NOLINT(google-explicit-constructor): assigned from strings
      : text_(text.empty() ? nullptr : std::make_shared<const std::string>(std::move(text))) {}

  const std::string& str() const noexcept { return text_ ? *text_ : empty_text(); }
  operator const std::string&() const noexcept { return str(); }  // NOLINT(google-explicit-constructor)
  bool empty() const noexcept { return !text_; }

 private:
  static const std::string& empty_text() noexcept {
    static const std::string none;
    return none;
  }
  std::shared_ptr<const std::string> text_;
};

}  // namespace edgehub
