#pragma once
// The accounts the hub authenticates against: name -> argon2id hash. One
// set is read-only once made (lookups need no lock); when `edgehubd user`
// changes the database, the hub swaps in a new set (docs/SECURITY.md#accounts).
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "hub/auth/password_batch.hpp"
#include "hub/core/hub_config.hpp"
#include "store/store.hpp"

namespace edgehub::hub {

class Accounts {
 public:
  Accounts(const std::vector<store::Account>& accounts, const Argon2Cost& cost);

  // Runs argon2id (tens of milliseconds by default): call from a worker
  // thread. An unknown name is checked against a dummy hash, so the time
  // taken and the answer do not reveal whether the name exists.
  bool verify(const std::string& name, std::string_view password) const;
  bool exists(const std::string& name) const { return hashes_.count(name) > 0; }
  // The web console's operator role (docs/HTTP_API.md#admin).
  bool is_admin(const std::string& name) const { return admins_.count(name) > 0; }
  // Every account name, sorted (the web console's account list).
  std::vector<std::string> names() const;
  std::size_t size() const { return hashes_.size(); }
  // Another set with this one's dummy hash: argon2 runs once per process.
  std::shared_ptr<const Accounts> replaced_by(const std::vector<store::Account>& accounts) const;
  // The names of `before` whose password is not the same here (changed, or
  // the account is gone), sorted.
  std::vector<std::string> passwords_changed_since(const Accounts& before) const;

 private:
  Accounts(const std::vector<store::Account>& accounts, std::string dummy_hash);

  std::unordered_map<std::string, std::string> hashes_;
  std::unordered_set<std::string> admins_;
  std::string dummy_hash_;
};

struct ImportReport {
  bool reimported = false;
  bool interrupted = false;  // control.stop said so first: nothing was stored
  std::size_t accounts = 0;
  std::vector<std::string> warnings;
  // Why the file could not be read ("no such file or directory"); accounts
  // then counts the stored ones, which stay.
  std::optional<std::string> unreadable;
  // The file's accounts when the disk was too full to store them
  // (store_error says why): used from memory for this run, imported at the
  // next start (docs/SECURITY.md#a-full-disk).
  std::optional<std::vector<store::Account>> unstored;
  std::string store_error;
};

// Imports the credentials file into the store when its content (or the
// argon2 cost) changed since the last import; otherwise leaves the stored
// hashes alone. A missing file keeps the stored accounts (and says so in
// unreadable: edgehubd refuses to start if there are none). The passwords are
// hashed in parallel (password_batch.hpp), all before one transaction
// replaces the stored accounts: a stopped or failed import changes nothing.
ImportReport import_credentials(store::Store& store, const std::string& path, const Argon2Cost& cost,
                                const BatchControl& control = {});

}  // namespace edgehub::hub
