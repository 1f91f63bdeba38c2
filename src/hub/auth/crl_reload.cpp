// --client-crl: the CRLs of an external device CA, read at start-up and
// again whenever the file changes (docs/SECURITY.md#device-certificates).
// Checked with the accounts once a second; the stat and the read run on a
// worker thread, never on a network thread (docs/ARCHITECTURE.md).
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "hub/core/hub.hpp"

namespace edgehub::hub {

void Hub::watch_client_crl(std::unique_ptr<CrlWatch> watch, std::unordered_set<std::string> revoked) {
  std::error_code ec;
  watch->mtime = std::filesystem::last_write_time(watch->path, ec);
  watch->size = ec ? 0 : std::filesystem::file_size(watch->path, ec);
  crl_watch_ = std::move(watch);
  auto next = std::make_shared<const std::unordered_set<std::string>>(std::move(revoked));
  std::lock_guard lock(accounts_mutex_);
  crl_revoked_ = std::move(next);
}

void Hub::reload_crl_if_changed() {
  const auto watch = crl_watch_;
  if (!watch || watch->pending.exchange(true)) return;
  boost::asio::post(workers_, [this, watch] {
    check_crl(*watch);
    watch->pending = false;
  });
}

// Worker thread. A file that is gone or does not read keeps the last good
// list: an operator's half-written CRL must not un-revoke anything.
void Hub::check_crl(CrlWatch& w) {
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(w.path, ec);
  const auto size = ec ? 0 : std::filesystem::file_size(w.path, ec);
  if (ec) {
    if (!w.unreadable_logged)
      spdlog::error("--client-crl {}: {}; keeping the last list", w.path.string(), ec.message());
    w.unreadable_logged = true;
    return;
  }
  if (mtime == w.mtime && size == w.size) return;
  w.mtime = mtime;
  w.size = size;
  w.unreadable_logged = false;
  try {
    auto next = std::make_shared<const std::unordered_set<std::string>>(w.load(w.path));
    spdlog::info("--client-crl {} reloaded: {} revoked certificates", w.path.string(), next->size());
    {
      std::lock_guard lock(accounts_mutex_);
      crl_revoked_ = std::move(next);
    }
    log_out_revoked();
  } catch (const std::runtime_error& e) {
    spdlog::error("--client-crl: {}; keeping the last list", e.what());
  }
}

}  // namespace edgehub::hub
