#pragma once
// A value or a human-readable error message (C++20 has no std::expected).
// Error strings are meant to be shown to the user as they are.
#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace edgehub::data {

struct Failure {
  std::string message;
};

template <class T>
class Outcome {
 public:
  Outcome(T value) : state_(std::move(value)) {}            // NOLINT(google-explicit-constructor)
  Outcome(Failure failure) : state_(std::move(failure)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& operator*() const { return value(); }
  const T* operator->() const { return &value(); }
  const std::string& error() const {
    assert(!ok());
    return std::get<1>(state_).message;
  }

 private:
  std::variant<T, Failure> state_;
};

}  // namespace edgehub::data
