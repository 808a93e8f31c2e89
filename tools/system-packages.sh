#!/bin/sh
# Installs the Debian packages the tests need, if missing: chromium (driven by Playwright, which
# must not download a browser of its own), the IPAex fonts (Japanese in pages and PDFs) and the
# Pango libraries that WeasyPrint draws PDFs with; nginx and openssl for the deployment check
# (tools/deploy-check.sh runs the recipe in deploy/ on loopback).
set -eu
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -f /usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf ] || missing="$missing fonts-ipaexfont-gothic"
[ -f /usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf ] || missing="$missing fonts-ipaexfont-mincho"
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || missing="$missing libpango-1.0-0 libpangoft2-1.0-0"
[ -x /usr/sbin/nginx ] || missing="$missing nginx"
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
[ -z "$missing" ] && exit 0
echo "Installing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
