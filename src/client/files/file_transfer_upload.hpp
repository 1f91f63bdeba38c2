#pragma once
// put PATH [-f] (docs/FILES.md, "Uploads"): hashes the local file, declares
// "put NAME SIZE SHA256 [replace]", and once the server is ready streams it
// as "$N" blocks and "$0". The server stores it under NAME (the last part
// of PATH) only if every byte arrived and the SHA-256 matches.
#include <string>

namespace edgehub::client {

class ClientApp;

// Runs on the command thread; prints progress and the server's answer.
void upload_file(ClientApp& app, const std::string& path, bool replace);

}  // namespace edgehub::client
