#!/bin/sh
# Set up this project on a fresh Debian machine, in the current Python environment.
# (With Debian's own python3, which refuses system-wide pip installs, first make and activate a
# virtual environment: python3 -m venv .venv && . .venv/bin/activate)
#   ./setup.sh          Debian packages the build needs (fonts, PDF tools), the image viewer
#                       (npm), the package
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
# npm installs the image viewer (below); machines whose Node.js comes with its own npm (say from
# NodeSource) cannot take Debian's npm package beside it, so it is asked for only when missing.
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing Debian packages:$missing"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# The image viewer of facsimile pages (OpenSeadragon), from npm at the version package-lock.json
# pins; its built files go where the package finds them (src/tei_edition/viewer/, package data).
npm ci --no-audit --no-fund --silent
# (one flat folder, the button images beside the script: a package-data folder without subfolders)
viewer=src/tei_edition/viewer
find "$viewer" -type f ! -name README.md -delete
cp node_modules/openseadragon/build/openseadragon/openseadragon.min.js node_modules/openseadragon/LICENSE.txt \
   node_modules/openseadragon/build/openseadragon/images/*.png "$viewer/"

python3 -m pip install -q --upgrade pip
python3 -m pip install -q -e ".$extra"
if [ -n "$extra" ]; then
  # test data: InvenioRDM's record JSON schema, from its pinned wheel on PyPI (tests/invenio_schema.py)
  python3 tests/invenio_schema.py
  # dapytains, the DTS reference implementation tests/test_dts.py compares with, pins
  # saxonche==12.9.0 (it would replace our Saxon); its citeStructure resolver needs only saxonche
  # and lxml and works with ours, so it comes without its dependencies (Flask is for its server).
  python3 -m pip install -q --no-deps "dapytains>=1.0.0rc4"
fi
[ -z "$extra" ] || sh .ci/test-schemas.sh   # schemas no Python package ships (OAI-PMH.xsd)
echo "setup done: run 'edition build' (or 'pytest' after --test)"
