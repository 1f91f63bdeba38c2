#!/usr/bin/env bash
# Installs the Debian packages that building and testing edgehub need,
# only when one is missing, then the web console's npm packages (uPlot,
# embedded into edgehubd; playwright-core for the browser tests) when
# node_modules is missing or package-lock.json changed. Safe to run again;
# needs root for apt-get.
set -euo pipefail

BUILD_PKGS=(
  g++ cmake ninja-build pkg-config
  libboost1.81-dev libsodium-dev libsqlite3-dev libssl-dev
  libspdlog-dev libfmt-dev libcli11-dev libedit-dev
  libpq-dev   # PostgresStore (edgehubd --database postgresql://...)
  libgtest-dev libgmock-dev
  clang libclang-rt-14-dev   # libFuzzer targets and sanitizer runtime
  clang-format   # scripts/check-format.sh, run as the lint.format test
  python3 sqlite3 procps psmisc netcat-openbsd tmux   # tmux: interactive-shell tests
  iproute2   # ip (network namespaces in the tests), ss (test_cluster: the database connections' keepalive)
  openssl   # the openssl command: s_client, test CAs and certificates (test_tls, test_client_crl)
  fail2ban   # fail2ban-regex checks contrib/fail2ban against a real log (test_security_log)
  python3-cryptography   # tests/integration/private_peer.py: X25519 and AES-GCM of a hand-made private-session peer
  chromium   # the browser tests (tests/browser/) drive Debian's /usr/bin/chromium, never a downloaded one
  postgresql   # the store tests start a throwaway server (initdb, pg_ctl; tests/unit/store/)
  prometheus   # promtool checks /metrics (tests/integration/test_metrics.py); its service is not started
  libsystemd-dev   # sd_notify: edgehubd tells systemd when it is ready and stopping (contrib/systemd, docs/OPERATIONS.md)
  help2man   # docs/man/*.[18] from --help (scripts/make-man.sh, tests/ops/test_man_pages.py)
  lintian dpkg-dev   # check the .deb that `make package` builds; dpkg-shlibdeps finds its Depends (tests/ops/test_package.py)
  gdb   # a test whose edgehubd does not stop prints its threads' stacks (tests/integration/thread_stacks.py)
  haproxy   # a load balancer in front of edgehubd nodes (contrib/haproxy, tests/integration/test_haproxy.py); its service is not started
  nftables   # nft drops a node's packets to the database: a network cut (tests/integration/network_cut.py); no rules are loaded at boot
)

missing=()
for p in "${BUILD_PKGS[@]}" "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node and npm for `npm ci` (docs/CONSOLE.md): Debian's packages only when the
# commands are missing; a NodeSource nodejs bundles npm and conflicts with
# Debian's npm package.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

# npm ci wipes node_modules and installs exactly the lock; a stamp of the
# lock's hash tells whether the installed tree is still that lock.
npm_ci() {
  local lock=package-lock.json stamp=node_modules/.edgehub-lock.sha256
  local want; want=$(sha256sum "$lock" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  echo "install-deps: npm ci (node_modules missing or $lock changed)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$want" >"$stamp"
}
cd "$(dirname "$0")/.."

if [ ${#missing[@]} -eq 0 ]; then
  npm_ci
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# Packages that ship a service (fail2ban) must not start it: the tests only
# run their tools. A policy-rc.d of our own says so while apt runs.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod 755 "$policy"
  own_policy=1
fi
trap 'if [ "$own_policy" = 1 ]; then $SUDO rm -f "$policy"; fi' EXIT
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
trap - EXIT
if [ "$own_policy" = 1 ]; then $SUDO rm -f "$policy"; fi
npm_ci
