#!/usr/bin/env bash
# What benchmarks/run.py needs for its reference rows (TEIC, FOP): Java, Saxon-HE, Apache FOP and
# the TEI Consortium stylesheets. Not part of CI (the benchmark is not a test); run as root.
set -euo pipefail

apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless libsaxonhe-java fop poppler-utils

# Debian ships the TEI stylesheets as tei-xsl (under /usr/share/xml/tei/stylesheet) in some
# releases only; where it is missing, the TEIC and FOP rows need a TEI Stylesheets release.
if apt-cache show tei-xsl >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tei-xsl
elif [ ! -f /usr/share/xml/tei/stylesheet/html/html.xsl ] && [ -z "${TEI_STYLESHEETS:-}" ]; then
    echo "*** tei-xsl is not in this Debian release: unpack a TEI Stylesheets release (the TEI" >&2
    echo "*** Consortium's Stylesheets, html/ and fo/ folders) and run benchmarks/run.py with" >&2
    echo "*** --tei-stylesheets DIR or TEI_STYLESHEETS=DIR; without it the TEIC and FOP rows are skipped." >&2
fi
java -version 2>&1 | head -1
