#pragma once
// What `edgehubd user` and `edgehubd ca` share: their own --help text, CLI11
// parsing, and one exit-code convention (0 done, 1 refused, 2 bad usage),
// every refusal said on stderr as "edgehubd WHAT: why".
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include "store/store.hpp"

namespace edgehub::app {

inline bool has_account(store::Store& db, const std::string& name) {
  const auto all = db.load_accounts();
  return std::any_of(all.begin(), all.end(), [&](const store::Account& a) { return a.name == name; });
}

// A refusal: said on stderr, exit code 1 (2 for usage).
struct AdminRefused {
  std::string why;
  int code = 1;
};

// Parses argv into app's options, then runs body. help is printed for
// --help/-h anywhere on the line; prefix is "edgehubd user" etc.
inline int run_admin_command(CLI::App& app, int argc, char** argv, const char* help, const char* prefix,
                             const std::function<void()>& body) {
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--help" || std::string_view(argv[i]) == "-h") {
      std::fputs(help, stdout);
      return 0;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    body();
    return 0;
  } catch (const AdminRefused& r) {
    std::fprintf(stderr, "%s: %s\n", prefix, r.why.c_str());
    return r.code;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", prefix, e.what());
    return 1;
  }
}

}  // namespace edgehub::app
