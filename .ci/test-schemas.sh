#!/bin/sh
# Schemas the tests validate against that no Python package ships, from Debian packages.
# OAI-PMH.xsd (the OAI-PMH 2.0 response schema, 2004-10-12 revision) is shipped unchanged by
# python3-gavo (GAVO DaCHS); installing that package would pull in astropy, scipy and twisted, so
# its .deb is downloaded and only the schema is unpacked, into /usr/local/share/xml/oai-pmh/.
set -eu
target=/usr/local/share/xml/oai-pmh
[ -f "$target/OAI-PMH.xsd" ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get download python3-gavo >/dev/null 2>&1 || { $sudo apt-get update -qq && apt-get download python3-gavo >/dev/null; }
dpkg-deb -x python3-gavo_*.deb unpacked
$sudo mkdir -p "$target"
$sudo cp unpacked/usr/lib/python3/dist-packages/gavo/resources/schemata/OAI-PMH.xsd "$target/"
echo "installed $target/OAI-PMH.xsd"
