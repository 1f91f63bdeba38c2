#include "hub/auth/accounts.hpp"

#include <sodium.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "common/strings.hpp"
#include "hub/auth/credentials.hpp"
#include "hub/auth/password_hasher.hpp"

namespace edgehub::hub {

Accounts::Accounts(const std::vector<store::Account>& accounts, const Argon2Cost& cost)
    : Accounts(accounts, hash_password("edgehub-dummy-password", cost)) {}

Accounts::Accounts(const std::vector<store::Account>& accounts, std::string dummy_hash)
    : dummy_hash_(std::move(dummy_hash)) {
  for (const auto& a : accounts) {
    hashes_.emplace(a.name, a.password_hash);
    if (a.admin) admins_.insert(a.name);
  }
}

std::shared_ptr<const Accounts> Accounts::replaced_by(const std::vector<store::Account>& accounts) const {
  return std::shared_ptr<const Accounts>(new Accounts(accounts, dummy_hash_));
}

std::vector<std::string> Accounts::passwords_changed_since(const Accounts& before) const {
  std::vector<std::string> out;
  for (const auto& [name, hash] : before.hashes_) {
    const auto it = hashes_.find(name);
    if (it == hashes_.end() || it->second != hash) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Accounts::names() const {
  std::vector<std::string> out;
  out.reserve(hashes_.size());
  for (const auto& [name, hash] : hashes_) out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

bool Accounts::verify(const std::string& name, std::string_view password) const {
  const auto it = hashes_.find(name);
  // An account made by `edgehubd ca issue` has no password (empty hash):
  // it logs in only with its certificate.
  if (it == hashes_.end() || it->second.empty()) {
    (void)verify_password(dummy_hash_, password);  // same cost as a real check
    return false;
  }
  return verify_password(it->second, password);
}

namespace {

std::string file_digest(const std::string& content, const Argon2Cost& cost) {
  const std::string input = fmt::format("{}:{}:{}", cost.ops, cost.mem_bytes, content);
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(input.data()), input.size(), nullptr, 0);
  return to_hex(out, sizeof out);
}

// What the store would hold had the import been stored: the file's
// accounts, and those set with `edgehubd user` that the file does not name.
std::vector<store::Account> with_admin_accounts(store::Store& store, std::vector<store::Account> from_file) {
  std::set<std::string> named;
  for (const auto& a : from_file) named.insert(a.name);
  for (auto& a : store.load_accounts())
    if (a.origin != "file" && named.count(a.name) == 0) from_file.push_back(std::move(a));
  return from_file;
}

}  // namespace

ImportReport import_credentials(store::Store& store, const std::string& path, const Argon2Cost& cost,
                                const BatchControl& control) {
  ImportReport report;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    report.unreadable = error_text(errno);
    report.accounts = store.load_accounts().size();
    return report;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string content = buffer.str();
  const std::string digest = file_digest(content, cost);
  ParsedCredentials parsed = parse_credentials(content);
  report.warnings = std::move(parsed.warnings);
  report.accounts = parsed.entries.size();
  if (store.meta("credentials_digest") == digest) return report;

  std::vector<std::string> passwords;
  passwords.reserve(parsed.entries.size());
  for (const auto& c : parsed.entries) passwords.push_back(c.password);
  auto hashes = hash_passwords(passwords, cost, control);
  if (!hashes) {
    report.interrupted = true;
    return report;
  }
  std::vector<store::Account> accounts;
  accounts.reserve(parsed.entries.size());
  for (std::size_t i = 0; i < parsed.entries.size(); ++i)
    accounts.push_back({parsed.entries[i].name, std::move((*hashes)[i])});
  try {
    store.begin();
    store.replace_accounts(accounts);
    store.set_meta("credentials_digest", digest);
    store.commit();
  } catch (const store::DiskFull& e) {
    // The file is what the operator wants now (a removed account must not
    // log in): serve it from memory, import it at a start with room.
    store::rollback_after_failure(store);
    report.unstored = with_admin_accounts(store, std::move(accounts));
    report.store_error = e.what();
    return report;
  }
  report.reimported = true;
  return report;
}

}  // namespace edgehub::hub
