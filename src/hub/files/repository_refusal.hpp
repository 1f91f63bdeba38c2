#pragma once
// A file command the repository refuses, with the status code and the text
// the client gets. `suspicious` marks refusals that may be an attempt to
// reach outside the repository (bad names, links): the command logs those
// as warnings with the client's name.
#include <stdexcept>
#include <string>

#include "protocol/status_code.hpp"

namespace edgehub::hub {

class FileRefusal : public std::runtime_error {
 public:
  FileRefusal(protocol::StatusCode code, const std::string& text, bool suspicious = false)
      : std::runtime_error(text), code_(code), suspicious_(suspicious) {}
  protocol::StatusCode code() const { return code_; }
  bool suspicious() const { return suspicious_; }

 private:
  protocol::StatusCode code_;
  bool suspicious_;
};

}  // namespace edgehub::hub
