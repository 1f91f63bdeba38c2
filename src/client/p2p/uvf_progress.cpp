#include "client/p2p/uvf_progress.hpp"

namespace edgehub::client {

void UvfProgress::begin(const std::string& key, const std::string& label, std::uint64_t total) {
  bars_[key] = std::make_unique<ProgressBar>(out_, "UVF " + label, total);
}

void UvfProgress::update(const std::string& key, std::uint64_t done) {
  const auto it = bars_.find(key);
  if (it != bars_.end()) it->second->update(done);
}

void UvfProgress::end(const std::string& key, bool ok) {
  const auto it = bars_.find(key);
  if (it == bars_.end()) return;
  if (ok) it->second->complete();
  bars_.erase(it);  // the destructor ends a failed one where it was
}

}  // namespace edgehub::client
