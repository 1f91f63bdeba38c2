#pragma once
// Type=notify under systemd (contrib/systemd/edgehubd.service,
// docs/OPERATIONS.md#systemd): READY=1 once both listeners accept, so that
// `systemctl start` returns when devices can connect; STOPPING=1 when a
// stop begins. Without NOTIFY_SOCKET (not run by systemd) both do nothing.
#include <string>

namespace edgehub::app {

void notify_ready(const std::string& status);
void notify_stopping();

}  // namespace edgehub::app
