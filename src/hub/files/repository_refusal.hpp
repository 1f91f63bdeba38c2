#pragma once
// A file command the repository refuses, with the status code and the text
// the client gets. `suspicious` marks refusals that may be an attempt to
// reach outside the repository (bad names, links): the command logs those
// as warnings with the client's name.
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

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

// What the repository's commands do with a refusal besides answering it,
// whichever way they were asked (the `list`/`get`/`put` commands,
// file_handlers.cpp, or HTTP, web/api/files_routes.cpp): a suspicious one
// is logged as a security event with the user and the address.
void log_refusal(const FileRefusal& refusal, std::string_view ip, std::string_view user, std::string_view command,
                 std::string_view name);

// A disk fault's text can name server paths: it goes to the log only, with
// a new error id; the client gets "Could not store 'NAME' on the server
// (id ID)" to quote (docs/PROTOCOL.md, "Status codes").
std::string storage_failure(std::string_view client, std::string_view name, const std::exception& e);

}  // namespace edgehub::hub
