#pragma once
// The device CA's files and actions, behind `edgehubd ca`
// (docs/SECURITY.md#device-certificates): DATA/ca/ca.key (0600) and
// DATA/ca/ca.crt; each issued certificate and its revocation recorded in
// the database.
#include <filesystem>
#include <string>

#include "app/admin/admin_cli.hpp"
#include "store/store.hpp"

namespace edgehub::app {

inline constexpr int kCaDays = 3650;     // 10 years
inline constexpr int kDeviceDays = 730;  // 2 years

using CaRefused = AdminRefused;

std::filesystem::path ca_dir(const std::filesystem::path& data_dir);
std::filesystem::path ca_cert_file(const std::filesystem::path& data_dir);

void ca_init(const std::filesystem::path& data_dir);
// Refuses (CaRefused) when `ca init` has not been run on data_dir.
void require_ca(const std::filesystem::path& data_dir);
// Writes out_dir/NAME.crt and NAME.key (0600), records the certificate and,
// if there is no account NAME, creates it for certificate logins only.
void ca_issue(store::Store& db, const std::filesystem::path& data_dir, const std::string& name,
              const std::filesystem::path& out_dir);
void ca_revoke(store::Store& db, const std::string& name);
void ca_list(store::Store& db, const std::filesystem::path& data_dir);

}  // namespace edgehub::app
