#!/usr/bin/env bash
# Debian packages Vitrine needs beside Python: `runtime` (Pango and fonts for the PDF exports)
# or `test` (also Chromium for the browser tests, LibreOffice Impress to open the decks and
# Java for the Nu HTML checker).
# Installs only what is missing, and only where apt-get can (root or sudo); otherwise it says
# what to install and carries on.
set -uo pipefail
want="${1:-runtime}"
missing=()

libs="$(ldconfig -p 2>/dev/null || true)"
fonts="$(fc-list 2>/dev/null || true)"
[[ "$libs" == *libpango-1.0.so.0* ]] || missing+=(libpango-1.0-0)
[[ "$libs" == *libpangoft2-1.0.so.0* ]] || missing+=(libpangoft2-1.0-0)
# WeasyPrint subsets fonts with HarfBuzz; without it, it warns on every PDF.
[[ "$libs" == *libharfbuzz-subset.so.0* ]] || missing+=(libharfbuzz-subset0)
[[ "${fonts,,}" == *dejavu* ]] || missing+=(fonts-dejavu-core fontconfig)
if [ "$want" = "test" ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v libreoffice >/dev/null 2>&1 || command -v soffice >/dev/null 2>&1 \
    || missing+=(libreoffice-impress)
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  # The W3C Nu HTML checker (node_modules/vnu-jar) runs on Java.
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "==> Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else sudo=none; fi
if [ "$sudo" = none ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "!!! Please install these packages (or their equivalents): ${missing[*]}" >&2
  exit 0
fi
($sudo apt-get update -q && $sudo apt-get install -y -q --no-install-recommends "${missing[@]}") \
  || echo "!!! Could not install ${missing[*]}; PDF exports or browser tests may fail." >&2
exit 0
