#pragma once
// Names that arrive from the network become file names only if they are a
// single plain component (no separators, no "."/"..", no control bytes).
#include <string>
#include <string_view>

namespace edgehub::p2p {

bool is_plain_file_name(std::string_view name);
// "SENDER_FILE", the name SPEC §6 gives a received file.
std::string received_file_name(std::string_view sender, std::string_view file);

}  // namespace edgehub::p2p
