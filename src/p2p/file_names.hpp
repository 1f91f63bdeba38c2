#pragma once
// The name a file received over UVF is saved under. Which names are
// acceptable at all (no separators, no "."/"..", no control bytes) is the
// base rule of common/file_names.hpp, shared with the hub and the client.
#include <string>
#include <string_view>

#include "common/file_names.hpp"

namespace edgehub::p2p {

// "SENDER_FILE" (docs/UDP.md#11-uvf-user-file-in-the-client).
std::string received_file_name(std::string_view sender, std::string_view file);

}  // namespace edgehub::p2p
