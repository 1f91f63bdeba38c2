#pragma once
// A fresh ticket for a peer-to-peer transfer (UVF and the swarm): 128 random
// bits in hex, which nobody the hub did not hand it to can guess.
#include <sodium.h>

#include <string>

#include "common/strings.hpp"

namespace edgehub::hub {

inline std::string new_p2p_ticket() {
  unsigned char raw[16];
  randombytes_buf(raw, sizeof raw);
  return to_hex(raw, sizeof raw);
}

}  // namespace edgehub::hub
