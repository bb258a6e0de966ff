#!/bin/sh
# Set up this project on a fresh Debian machine, in the current Python environment.
# (With Debian's own python3, which refuses system-wide pip installs, first make and activate a
# virtual environment: python3 -m venv .venv && . .venv/bin/activate)
#   ./setup.sh          Debian packages the build needs (fonts, PDF tools) + the package
#   ./setup.sh --test   the same + what the tests need (Chromium, test extras)
# Debian packages are listed in .ci/apt-packages.txt (build) and .ci/apt-packages-test.txt (tests).
set -eu
cd "$(dirname "$0")"

lists=".ci/apt-packages.txt"
extra=""
if [ "${1:-}" = "--test" ]; then
  lists="$lists .ci/apt-packages-test.txt"
  extra="[test]"
fi

packages=$(cat $lists | grep -v '^#' | tr '\n' ' ')
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing Debian packages:$missing"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

python3 -m pip install -q --upgrade pip
python3 -m pip install -q -e ".$extra"
[ -z "$extra" ] || sh .ci/test-schemas.sh   # schemas no Python package ships (OAI-PMH.xsd)
echo "setup done: run 'edition build' (or 'pytest' after --test)"
