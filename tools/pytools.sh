#!/usr/bin/env bash
# Installs the pinned Python judges (tools/requirements.txt) into a virtualenv
# at $WIRESTACK_PYTOOLS (default: target/pytools) and prints its bin directory.
# Idempotent and safe to run from parallel tests: it takes a lock, and skips
# pip when the requirements have not changed since the last install.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${WIRESTACK_PYTOOLS:-$root/target/pytools}
requirements=$root/tools/requirements.txt
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
stamp=$venv/.requirements
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$stamp"; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
  cp "$requirements" "$stamp"
fi
echo "$venv/bin"
