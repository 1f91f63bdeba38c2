#include "app/admin/device_ca.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "app/admin/admin_cli.hpp"
#include "tls/x509.hpp"

namespace edgehub::app {
namespace {

namespace fs = std::filesystem;

fs::path ca_key_file(const fs::path& data_dir) { return ca_dir(data_dir) / "ca.key"; }

struct LoadedCa {
  tls::KeyPtr key;
  tls::CertPtr cert;
};

LoadedCa load_ca(const fs::path& data_dir) {
  require_ca(data_dir);
  auto chain = tls::read_cert_chain_pem(ca_cert_file(data_dir));
  return {tls::read_key_pem(ca_key_file(data_dir)), std::move(chain.front())};
}

std::string utc_date(std::int64_t unix_time) {
  const std::time_t t = static_cast<std::time_t>(unix_time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return text;
}

// Refuses before anything is written: an existing file is never replaced
// (it may be a device's only copy of its key).
void check_outputs(const fs::path& crt, const fs::path& key) {
  const fs::path out = crt.parent_path();
  if (!fs::is_directory(out)) throw CaRefused{fmt::format("{} is not a directory (--out)", out.string())};
  for (const auto& file : {crt, key})
    if (fs::exists(file))
      throw CaRefused{fmt::format("{} already exists: remove it or choose another --out", file.string())};
}

}  // namespace

fs::path ca_dir(const fs::path& data_dir) { return data_dir / "ca"; }
fs::path ca_cert_file(const fs::path& data_dir) { return ca_dir(data_dir) / "ca.crt"; }

void require_ca(const fs::path& data_dir) {
  if (!fs::exists(ca_key_file(data_dir)) || !fs::exists(ca_cert_file(data_dir)))
    throw CaRefused{fmt::format("no CA in {}: create one with 'edgehubd ca init'", ca_dir(data_dir).string())};
}

void ca_init(const fs::path& data_dir) {
  if (fs::exists(ca_key_file(data_dir)) || fs::exists(ca_cert_file(data_dir)))
    throw CaRefused{
        fmt::format("a CA already exists in {}: replacing it would make every certificate it issued fail; remove that "
                    "directory to start over",
                    ca_dir(data_dir).string())};
  fs::create_directories(ca_dir(data_dir));
  fs::permissions(ca_dir(data_dir), fs::perms::owner_all);
  const auto key = tls::generate_p256_key();
  const auto cert = tls::make_certificate({.common_name = "edgehub device CA", .days = kCaDays, .is_ca = true},
                                          key.get(), nullptr, key.get());
  tls::write_key_pem(ca_key_file(data_dir), key.get());  // the key first: a cert alone is useless
  tls::write_cert_pem(ca_cert_file(data_dir), cert.get());
  std::printf("Created the device CA in %s (valid until %s).\n", ca_dir(data_dir).c_str(),
              tls::not_after(cert.get()).c_str());
  std::printf("Fingerprint: %s\n", tls::fingerprint(cert.get()).c_str());
  std::printf("edgehubd on this data directory now accepts certificates it issues (certlogin).\n");
}

void ca_issue(store::Store& db, const fs::path& data_dir, const std::string& name, const fs::path& out_dir) {
  const LoadedCa ca = load_ca(data_dir);
  const fs::path crt = out_dir / (name + ".crt");
  const fs::path key_file = out_dir / (name + ".key");
  check_outputs(crt, key_file);
  const auto key = tls::generate_p256_key();
  const auto cert = tls::make_certificate({.common_name = name, .dns_names = {name}, .days = kDeviceDays}, key.get(),
                                          ca.cert.get(), ca.key.get());
  const bool new_account = !has_account(db, name);
  tls::write_key_pem(key_file, key.get());
  try {
    tls::write_cert_pem(crt, cert.get());
    db.begin();
    db.add_device_certificate({tls::serial_hex(cert.get()), name, tls::fingerprint(cert.get()),
                               static_cast<std::int64_t>(std::time(nullptr)), tls::not_after(cert.get())});
    // No password: only certlogin works until `edgehubd user passwd` sets one.
    if (new_account) db.set_account({name, "", "cert"});
    db.commit();
  } catch (...) {
    store::rollback_after_failure(db);
    std::error_code ignored;
    fs::remove(key_file, ignored);
    fs::remove(crt, ignored);
    throw;
  }
  std::printf("Issued %s and %s (serial %s, valid until %s).\n", crt.c_str(), key_file.c_str(),
              tls::serial_hex(cert.get()).c_str(), tls::not_after(cert.get()).c_str());
  if (new_account) std::printf("Created account %s for certificate logins (no password).\n", name.c_str());
}

void ca_revoke(store::Store& db, const std::string& name) {
  db.begin();
  const auto serials = db.revoke_device_certificates(name, static_cast<std::int64_t>(std::time(nullptr)));
  db.commit();
  if (serials.empty())
    throw CaRefused{fmt::format("no certificate of {} to revoke ('edgehubd ca list' shows them)", name)};
  for (const auto& serial : serials) std::printf("Revoked certificate %s of %s.\n", serial.c_str(), name.c_str());
  std::printf("A running server refuses it within a second and logs out a device using it.\n");
}

void ca_list(store::Store& db, const fs::path& data_dir) {
  const LoadedCa ca = load_ca(data_dir);
  std::printf("CA %s, %s, valid until %s\n", ca_cert_file(data_dir).c_str(), tls::fingerprint(ca.cert.get()).c_str(),
              tls::not_after(ca.cert.get()).c_str());
  const auto all = db.load_device_certificates();
  std::printf("%zu certificate%s\n", all.size(), all.size() == 1 ? "" : "s");
  const std::string now = utc_date(static_cast<std::int64_t>(std::time(nullptr)));
  for (const auto& c : all) {
    const std::string state = c.revoked_unix      ? "revoked " + utc_date(*c.revoked_unix)
                              : c.not_after < now ? std::string("expired")
                                                  : std::string("valid");
    std::printf("%-32s serial %s  issued %s  until %s  %s\n", c.name.c_str(), c.serial.c_str(),
                utc_date(c.issued_unix).c_str(), c.not_after.c_str(), state.c_str());
  }
}

}  // namespace edgehub::app
