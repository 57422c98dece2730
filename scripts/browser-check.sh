#!/usr/bin/env bash
# Headless-Chromium checks of the public portal (pages, nothing unpublished, elderly mode, keyboard,
# axe-core, console and requests): see scripts/browser_check.py for what is checked.
#
# Installs what is missing (Debian's chromium, chromium-driver and CJK fonts; a Python venv in
# .build/browser-venv with selenium and the axe-core script shipped in a PyPI package), starts
# .build/debug/fabu on a free 127.0.0.1 port with a scratch data directory and the demo data, runs the
# checks, and always stops the server. Screenshots and axe-report.json go to artifacts/browser/.
#
# Needs a built binary (`swift build`). By default the server runs with the templates and CSS of the
# working tree (Sources/App/Resources), not the copies made at the last build: the binary is
# copied into .build/browser-stage/ beside fresh copies of the resource bundles. FABU_BROWSER_STAGE=0 runs
# the binary as built. FABU_BIN chooses another binary; FABU_BROWSER_OUT another output directory.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
t0=$(date +%s)
bin=${FABU_BIN:-.build/debug/fabu}
out=${FABU_BROWSER_OUT:-artifacts/browser}
venv=.build/browser-venv

if [ ! -x "$bin" ]; then
  echo "browser-check: $bin is missing; run 'swift build' first" >&2
  exit 1
fi

# --- Debian packages, only when missing
pkgs=()
command -v chromium >/dev/null || pkgs+=(chromium)
command -v chromedriver >/dev/null || pkgs+=(chromium-driver)
{ command -v fc-list >/dev/null && fc-list :lang=zh family | grep -q .; } || pkgs+=(fonts-noto-cjk)
command -v python3 >/dev/null || pkgs+=(python3)
{ [ -x "$venv/bin/python" ] || python3 -c 'import ensurepip, venv' 2>/dev/null; } || pkgs+=(python3-venv)
if [ ${#pkgs[@]} -gt 0 ]; then
  echo "== apt-get install ${pkgs[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${pkgs[@]}"
fi

# --- Python venv: selenium, and axe-core's axe.min.js (4.12) as shipped in axe-playwright-python.
# Only its script is used, so it is installed without its playwright dependency.
if ! "$venv/bin/python" -c 'import selenium, axe_playwright_python' 2>/dev/null; then
  echo "== python venv $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "selenium==4.51.0" \
    || "$venv/bin/pip" install -q --disable-pip-version-check "selenium>=4.20,<5"
  "$venv/bin/pip" install -q --disable-pip-version-check --no-deps "axe-playwright-python==0.1.8"
fi

# --- the server binary, with the working tree's resources
run_bin=$bin
stage=""
if [ "${FABU_BROWSER_STAGE:-1}" != 0 ]; then
  stage=.build/browser-stage
  rm -rf "$stage"
  mkdir -p "$stage/fabu_App.resources" "$stage/fabu_Core.resources"
  real=$(readlink -f "$bin")
  cp --reflink=auto "$real" "$stage/fabu"
  cp -R Sources/App/Resources "$stage/fabu_App.resources/"
  cp -R Sources/Core/Resources/. "$stage/fabu_Core.resources/"
  run_bin=$stage/fabu
fi

rm -rf "$out"
mkdir -p "$out"
data=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
password="browser-check-$(python3 -c 'import secrets; print(secrets.token_hex(8))')"
base="http://127.0.0.1:$port"
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server" 2>/dev/null || true
  fi
  rm -rf "$data"
  if [ -n "$stage" ]; then rm -rf "$stage"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== fabu serve on $base (data in $data, log in $out/server.log)"
FABU_DATA_DIR=$data FABU_ADMIN_PASSWORD=$password FABU_PUBLIC_URL=$base FABU_DATABASE_URL= \
  "$run_bin" serve --hostname 127.0.0.1 --port "$port" >"$out/server.log" 2>&1 </dev/null &
server=$!
ready=0
for _ in $(seq 120); do
  if ! kill -0 "$server" 2>/dev/null; then break; fi
  if python3 - "$base/healthz" <<'EOF' 2>/dev/null; then ready=1; break; fi
import sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
sys.exit(0 if opener.open(sys.argv[1], timeout=2).status == 200 else 1)
EOF
  sleep 0.5
done
if [ $ready != 1 ]; then
  echo "browser-check: the server did not answer $base/healthz; its log:" >&2
  tail -n 40 "$out/server.log" >&2
  exit 1
fi

status=0
"$venv/bin/python" scripts/browser_check.py --base "$base" --admin-password "$password" --out "$out" \
  --chromium "$(command -v chromium)" --chromedriver "$(command -v chromedriver)" || status=$?

echo "browser-check: screenshots and axe-report.json in $root/$out/ ($(ls "$out"/*.png 2>/dev/null | wc -l) PNG files); took $(( $(date +%s) - t0 )) s"
exit $status
