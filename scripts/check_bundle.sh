#!/usr/bin/env bash
# Check the offline bundle as an intranet server would use it; builds nothing:
#   bash scripts/check_bundle.sh [dist/counsel-….tar.gz]    (default: the newest in dist/)
# Unpacks it, runs its install.sh with every package index out of reach, migrates a fresh
# SQLite database, starts gunicorn from the installed app and fetches /login and /healthz.
set -euo pipefail
cd "$(dirname "$0")/.."
archive=${1:-$(ls -t dist/counsel-*.tar.gz 2>/dev/null | head -n 1)}
[ -n "$archive" ] && [ -f "$archive" ] || { echo "check_bundle: no archive (run make bundle)" >&2; exit 1; }
archive=$(realpath "$archive")

work=$(mktemp -d /tmp/counsel-bundle-check.XXXXXX)
log=$work/gunicorn.log
server=""
finish() {
  status=$?
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ "$status" -ne 0 ] && [ -s "$log" ]; then echo "check_bundle: gunicorn's log:" >&2; cat "$log" >&2; fi
  rm -rf "$work"
}
trap finish EXIT
fail() { echo "check_bundle: FAILED: $*" >&2; exit 1; }

# The checksum, when SHA256SUMS lies beside the archive.
dir=$(dirname "$archive") name=${archive##*/}
if grep -q " $name\$" "$dir/SHA256SUMS" 2>/dev/null; then
  (cd "$dir" && grep " $name\$" SHA256SUMS | sha256sum --quiet -c) || fail "checksum of $name"
fi

# Install with no package index: pip's configuration files and this machine's find-links are
# ignored too, so a wheel missing from the bundle makes the installation fail.
mkdir "$work/bundle"
tar -xzf "$archive" -C "$work/bundle"
unset PIP_FIND_LINKS PIP_EXTRA_INDEX_URL PIP_CONSTRAINT PYTHONPATH DATABASE_URL COUNSEL_DEVELOPMENT FLASK_DEBUG
export PIP_NO_INDEX=1 PIP_INDEX_URL=http://127.0.0.1:9/simple PIP_CONFIG_FILE=/dev/null
target=$work/opt
bash "$work"/bundle/counsel-*/install.sh "$target" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; fail "install.sh"; }
grep '^install.sh' "$work/install.log" | sed 's/^/  /'
# the installed application, not this checkout, answers (the venv finds it through counsel.pth)
origin=$(cd / && "$target/venv/bin/python" -c 'import core; print(core.__file__)')
[[ $origin == "$target/app/"* ]] || fail "core is imported from $origin"

# A server's settings: a random secret key, SQLite in its own instance folder.
cd "$target/app"
SECRET_KEY=$("$target/venv/bin/python" -c 'import secrets; print(secrets.token_hex(32))')
port=$("$target/venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export SECRET_KEY COUNSEL_INSTANCE_PATH=$work/instance FLASK_APP=wsgi.py
export COUNSEL_BIND=127.0.0.1:$port COUNSEL_WORKERS=2
../venv/bin/flask db upgrade >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; fail "flask db upgrade"; }

../venv/bin/gunicorn -c gunicorn.conf.py wsgi:app >"$log" 2>&1 &
server=$!
url=http://127.0.0.1:$port
for _ in $(seq 60); do
  curl -s -o /dev/null "$url/login" && break
  kill -0 "$server" 2>/dev/null || fail "gunicorn exited"
  sleep 0.5
done

login=$(curl -sS -o "$work/login.html" -w '%{http_code}' "$url/login") || fail "GET /login"
[ "$login" = 200 ] || fail "/login answered $login"
grep -q '<form' "$work/login.html" || fail "/login has no form"
health=$(curl -sS -o "$work/healthz" -w '%{http_code}' "$url/healthz") || fail "GET /healthz"
[ "$health" = 200 ] || fail "/healthz answered $health: $(head -c 500 "$work/healthz")"
grep -q '"status":"ok"' "$work/healthz" || fail "/healthz: $(head -c 500 "$work/healthz")"
echo "check_bundle: /healthz: $(head -c 200 "$work/healthz")"
echo "bundle: installed offline and served /login ($(basename "$archive"))"
