// Fuzz target for the events between nodes (src/hub/cluster/cluster_event.*,
// docs/CLUSTER.md#events-between-nodes): another node's NOTIFY payload must
// decode or be refused cleanly, and whatever decodes encodes back to a
// payload that decodes to the same event.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hub/cluster/cluster_event.hpp"

namespace {

using edgehub::hub::ClusterEvent;
using edgehub::hub::decode_cluster_event;
using edgehub::hub::encode_cluster_event;

void require(bool ok) {
  if (!ok) std::abort();
}

bool same(const ClusterEvent& a, const ClusterEvent& b) {
  return a.kind == b.kind && a.node == b.node && a.name == b.name && a.ip == b.ip && a.udp_port == b.udp_port &&
         a.time == b.time && a.other == b.other && a.on == b.on && a.text == b.text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  const auto event = decode_cluster_event(payload);
  if (!event) return 0;
  require(!event->node.empty() && !event->name.empty());
  const auto again = decode_cluster_event(encode_cluster_event(*event));
  require(again.has_value() && same(*event, *again));
  return 0;
}
