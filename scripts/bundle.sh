#!/usr/bin/env bash
# `make bundle`: the offline installation archive for a server without network access.
#
#   dist/counsel-<version>-py<XY>-<platform>.tar.gz   (and dist/SHA256SUMS)
#     counsel-<version>/
#       app/              the committed tree (git archive HEAD) without tests/CI/dev scripts,
#                         plus the compiled translations (*.mo) from the working tree
#       wheels/           a wheel of every runtime dependency (transitively) and of pip itself
#       requirements.txt  the runtime dependencies, pinned
#       BUILD_INFO        version, commit, Python and platform the wheels are for
#       install.sh        ./install.sh [TARGET_DIR]: venv + wheels + app, offline
#       INSTALL.txt       the instructions (English, 中文)
#
# The wheels are for the interpreter running this script ($PYTHON, default python3); for another
# server set BUNDLE_PYTHON_VERSION (e.g. 3.12) and/or BUNDLE_PLATFORM (e.g. manylinux_2_28_x86_64:
# glibc 2.28 or newer, which today's wheels of Pillow, SQLAlchemy and argon2 need).
# scripts/check_bundle.sh installs the archive offline and serves the login page from it.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
pip_quiet=(--quiet --disable-pip-version-check --no-input)

project() { "$PYTHON" -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; $1"; }
version=$(project 'print(p["version"])')
mapfile -t dependencies < <(project 'print("\n".join(p["dependencies"]))')

# The target: this interpreter and platform unless told otherwise.
target_options=()
if [ -n "${BUNDLE_PYTHON_VERSION:-}${BUNDLE_PLATFORM:-}" ]; then
  target_options=(--only-binary=:all: --implementation cp)
  [ -z "${BUNDLE_PYTHON_VERSION:-}" ] || target_options+=(--python-version "$BUNDLE_PYTHON_VERSION")
  [ -z "${BUNDLE_PLATFORM:-}" ] || target_options+=(--platform "$BUNDLE_PLATFORM")
  # pip takes manylinux_2_28_x86_64 literally: the older glibc tags that such a server also runs
  if [[ ${BUNDLE_PLATFORM:-} =~ ^manylinux_2_([0-9]+)_(.+)$ ]]; then
    for ((glibc = BASH_REMATCH[1] - 1; glibc >= 17; glibc--)); do
      target_options+=(--platform "manylinux_2_${glibc}_${BASH_REMATCH[2]}")
    done
    target_options+=(--platform "manylinux2014_${BASH_REMATCH[2]}")
  fi
fi
python_version=${BUNDLE_PYTHON_VERSION:-$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')}
# this machine's tag: manylinux_<arch> on glibc (the wheels on PyPI are manylinux), else e.g. linux_<arch>
platform=${BUNDLE_PLATFORM:-$("$PYTHON" -c '
import platform, sysconfig
tag = sysconfig.get_platform().replace("-", "_").replace(".", "_")
libc = platform.libc_ver()[0]
print(tag.replace("linux_", "manylinux_" if libc == "glibc" else "musllinux_" if libc == "musl" else "linux_", 1))')}
name=counsel-$version
archive=dist/$name-py${python_version/./}-$platform.tar.gz

work=$(mktemp -d /tmp/counsel-bundle.XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/$name
mkdir -p "$root/app" "$root/wheels" dist

commit=$(git rev-parse --short HEAD)
echo "bundle: $name for Python $python_version on $platform, from commit $commit"
[ -z "$(git status --porcelain -- . ':(exclude)tests')" ] ||
  echo "bundle: note: uncommitted changes are not in the bundle (it is HEAD, $commit)"

# 1. The application: what an operator needs to run it (no tests, CI or benchmark scripts).
git archive --format=tar HEAD -- . ':(exclude)tests' ':(exclude).ci' ':(exclude).github' \
  ':(exclude)scripts' ':(exclude)Makefile' | tar -x -C "$root/app"
shopt -s nullglob
mo_files=(core/translations/*/LC_MESSAGES/*.mo)
[ ${#mo_files[@]} -gt 0 ] || { echo "bundle: no compiled translations: run make translations" >&2; exit 1; }
cp --parents "${mo_files[@]}" "$root/app/"

# 2. The dependencies: resolved by installing them in a throwaway venv, pinned with pip freeze.
"$PYTHON" -m venv "$work/resolve"
pip=("$work/resolve/bin/python" -m pip)
"${pip[@]}" install "${pip_quiet[@]}" "${dependencies[@]}"
{
  echo "# Counsel $version's runtime dependencies, pinned (resolved by scripts/bundle.sh on Python"
  echo "# $("$PYTHON" -c 'import platform; print(platform.python_version())')). Install: pip install --no-index --find-links wheels -r requirements.txt"
  "${pip[@]}" freeze --exclude counsel
} >"$root/requirements.txt"

# 3. Their wheels, and pip's own so the server can upgrade pip offline.
if [ ${#target_options[@]} -eq 0 ]; then
  "${pip[@]}" wheel "${pip_quiet[@]}" --no-deps -r "$root/requirements.txt" -w "$root/wheels"
else
  # dependencies only another Python or platform needs (environment markers) come along too
  "${pip[@]}" download "${pip_quiet[@]}" "${target_options[@]}" -r "$root/requirements.txt" -d "$root/wheels" || {
    echo "bundle: no wheel for $platform (above); current wheels need glibc 2.28: try" \
      "BUNDLE_PLATFORM=manylinux_2_28_$(uname -m) if the server's \`ldd --version\` says 2.28 or newer" >&2
    exit 1
  }
fi
"${pip[@]}" download "${pip_quiet[@]}" --only-binary=:all: "${target_options[@]}" --no-deps pip -d "$root/wheels"
local_builds=("$root"/wheels/*-linux_*.whl)
[ ${#local_builds[@]} -eq 0 ] ||
  echo "bundle: warning: built here, for this distribution only: ${local_builds[*]##*/}" >&2

cat >"$root/BUILD_INFO" <<EOF
BUNDLE_VERSION=$version
BUNDLE_COMMIT=$commit
BUNDLE_PYTHON=$python_version
BUNDLE_PLATFORM=$platform
BUNDLE_BUILT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
EOF

# 4. The installer (written as is: nothing below is expanded now).
cat >"$root/install.sh" <<'EOF'
#!/usr/bin/env bash
# Install (or upgrade) Counsel from this bundle without network access:
#   ./install.sh [TARGET_DIR]        (default /opt/counsel; PYTHON=python3.11 to choose the interpreter)
# TARGET/venv: a fresh virtualenv with the bundled wheels; TARGET/app: the application, whose
# instance/ folder (SQLite database, config.py) is kept as it is on an upgrade.
set -euo pipefail
umask 022
here=$(cd "$(dirname "$0")" && pwd)
. "$here/BUILD_INFO"
target=${1:-/opt/counsel}
python=${PYTHON:-python3}
die() { echo "install.sh: $*" >&2; exit 1; }

# The interpreter must be the one the wheels were built for.
command -v "$python" >/dev/null || die "$python not found: install Python $BUNDLE_PYTHON from the distribution's media"
have=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
  die "$python is Python $have; Counsel needs 3.11 or newer (this bundle: $BUNDLE_PYTHON)"
[ "$have" = "$BUNDLE_PYTHON" ] ||
  die "the wheels are for Python $BUNDLE_PYTHON but $python is $have: run PYTHON=python$BUNDLE_PYTHON ./install.sh, or build a bundle for $have (BUNDLE_PYTHON_VERSION=$have make bundle)"
case $BUNDLE_PLATFORM in
  *_"$(uname -m)") ;;
  *) die "the wheels are for $BUNDLE_PLATFORM, this machine is $(uname -m): build a bundle with BUNDLE_PLATFORM set for it" ;;
esac
"$python" -c 'import ensurepip, venv' 2>/dev/null ||
  die "$python cannot make a virtualenv: install the python$have-venv package (Debian/Ubuntu)"

mkdir -p "$target"
target=$(cd "$target" && pwd)
echo "install.sh: Counsel $BUNDLE_VERSION ($BUNDLE_COMMIT) into $target"

# 1. A fresh virtualenv; an existing one is put back if the wheels do not install.
[ ! -d "$target/venv" ] || { rm -rf "$target/venv.old"; mv "$target/venv" "$target/venv.old"; }
put_back() { rm -rf "$target/venv"; [ ! -d "$target/venv.old" ] || mv "$target/venv.old" "$target/venv"; }
"$python" -m venv "$target/venv" || { put_back; die "$python -m venv failed"; }
pip=("$target/venv/bin/python" -m pip --disable-pip-version-check --no-input)
offline=(--quiet --no-index --find-links "$here/wheels")
if ! "${pip[@]}" install "${offline[@]}" --upgrade pip ||
   ! "${pip[@]}" install "${offline[@]}" -r "$here/requirements.txt"; then
  put_back
  die "pip could not install the bundled wheels (see above) on this server (Python $have, $(uname -m), $(ldd --version 2>&1 | head -n 1)); they are for Python $BUNDLE_PYTHON on $BUNDLE_PLATFORM. Nothing was changed."
fi
rm -rf "$target/venv.old"

# 2. The application: everything replaced except the instance folder.
mkdir -p "$target/app"
find "$target/app" -mindepth 1 -maxdepth 1 ! -name instance -exec rm -rf {} +
(cd "$here/app" && tar --exclude=./instance -cf - .) | (cd "$target/app" && tar -xf -)
[ -d "$target/app/instance" ] || cp -R "$here/app/instance" "$target/app/instance"
"$target/venv/bin/python" -m compileall -q "$target/app" >/dev/null || true

# 3. `import core` and the flask/gunicorn commands work from anywhere.
site=$("$target/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "$target/app" >"$site/counsel.pth"
(cd / && "$target/venv/bin/python" -c 'import core, flask, gunicorn') || die "the installed application does not import"

# PDFs (appointment letters, the work report) need Pango and a Chinese font from the distribution.
if ! ldconfig -p 2>/dev/null | grep libpangoft2 >/dev/null || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  echo "install.sh: note: for PDFs install libpangoft2-1.0-0 (Pango) and fonts-noto-cjk"
fi

cat <<NEXT
install.sh: done. Counsel $BUNDLE_VERSION is in $target (venv/, app/).
Next steps:
  1. Settings: an environment file, e.g. /etc/counsel/counsel.env (example: $target/app/deploy/counsel.env.example),
     with at least SECRET_KEY=<python3 -c 'import secrets; print(secrets.token_hex(32))'>,
     and DATABASE_URL (PostgreSQL) or COUNSEL_INSTANCE_PATH (SQLite); load it: set -a; . /etc/counsel/counsel.env; set +a
  2. The database schema (on every install and upgrade):
       cd $target/app && FLASK_APP=wsgi.py ../venv/bin/flask db upgrade
  3. The first administrator (asks for a password), once:
       cd $target/app && FLASK_APP=wsgi.py ../venv/bin/flask users create admin --role admin
  4. The web server (or the systemd units in $target/app/deploy/):
       cd $target/app && ../venv/bin/gunicorn -c gunicorn.conf.py wsgi:app
     then: curl http://127.0.0.1:8000/healthz
NEXT
EOF
chmod +x "$root/install.sh"

cat >"$root/INSTALL.txt" <<EOF
Counsel $version: offline installation / 离线安装
(wheels for Python $python_version on $platform; commit $commit)

English
  1. Copy this archive and SHA256SUMS onto the server (USB stick or the intranet file share),
     check it and unpack it:
       sha256sum -c SHA256SUMS
       tar xzf $(basename "$archive") && cd $name
  2. Install (needs python$python_version with its venv module; nothing is downloaded):
       sudo ./install.sh /opt/counsel
     or by hand:
       python3 -m venv /opt/counsel/venv
       /opt/counsel/venv/bin/pip install --no-index --find-links wheels -r requirements.txt
       cp -r app /opt/counsel/app        (keep an existing app/instance folder)
  3. Set SECRET_KEY (and DATABASE_URL) in an environment file and load it, then:
       cd /opt/counsel/app
       FLASK_APP=wsgi.py ../venv/bin/flask db upgrade
       FLASK_APP=wsgi.py ../venv/bin/flask users create admin --role admin
       ../venv/bin/gunicorn -c gunicorn.conf.py wsgi:app
  4. Check:  curl http://127.0.0.1:8000/healthz
  Details (systemd, nginx, backups, upgrades): app/docs/operations.md

中文
  1. 将本压缩包及 SHA256SUMS 拷贝到服务器（U盘或内网文件共享），校验并解压：
       sha256sum -c SHA256SUMS
       tar xzf $(basename "$archive") && cd $name
  2. 安装（需要 python$python_version 及其 venv 模块；不联网，不下载任何文件）：
       sudo ./install.sh /opt/counsel
     或手动执行：
       python3 -m venv /opt/counsel/venv
       /opt/counsel/venv/bin/pip install --no-index --find-links wheels -r requirements.txt
       cp -r app /opt/counsel/app        （升级时保留原有的 app/instance 目录）
  3. 在环境变量文件中设置 SECRET_KEY（及 DATABASE_URL）并加载，然后：
       cd /opt/counsel/app
       FLASK_APP=wsgi.py ../venv/bin/flask db upgrade
       FLASK_APP=wsgi.py ../venv/bin/flask users create admin --role admin
       ../venv/bin/gunicorn -c gunicorn.conf.py wsgi:app
  4. 检查：curl http://127.0.0.1:8000/healthz
  详细说明（systemd、nginx、备份、升级）见 app/docs/operations.md
EOF

# 5. The archive and its checksum, beside it.
tar -C "$work" --owner=0 --group=0 --sort=name -czf "$archive" "$name"
(cd dist && sha256sum "${archive##*/}" >SHA256SUMS)
wheels=("$root"/wheels/*.whl)
echo "bundle: $archive ($(du -h "$archive" | cut -f1), ${#wheels[@]} wheels); checksums in dist/SHA256SUMS"
