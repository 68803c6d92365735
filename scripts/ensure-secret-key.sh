#!/bin/sh
# Writes a generated SECRET_KEY into the .env file once (`make secret-key`), unless a key is
# set already: in the environment or in that file. The file is readable by its owner only.
# A key that an earlier version generated into var/secret_key is moved there instead, so
# that review links, API tokens and survey participation hashes stay valid.
set -eu

env_file="${ENV_FILE:-.env}"
legacy="${VAR_DIR:-var}/secret_key"

if [ -n "${SECRET_KEY:-}" ]; then
    exit 0
fi
if [ -f "$env_file" ] && grep -Eq '^[[:space:]]*(export[[:space:]]+)?SECRET_KEY[[:space:]]*=[[:space:]]*[^[:space:]]' "$env_file"; then
    exit 0
fi

if [ -s "$legacy" ]; then
    key=$(tr -d '[:space:]' < "$legacy")
    origin="moved from $legacy"
else
    key=$("${PYTHON:-python3}" -c 'import secrets; print(secrets.token_urlsafe(50))')
    origin="generated"
fi

umask 077
if [ -s "$env_file" ] && [ -n "$(tail -c 1 "$env_file")" ]; then
    printf '\n' >> "$env_file"
fi
printf 'SECRET_KEY=%s\n' "$key" >> "$env_file"
chmod 600 "$env_file"
if [ "$origin" != "generated" ]; then
    rm -f "$legacy"
fi
echo "SECRET_KEY $origin into $env_file (readable by you only; every host of this installation needs the same key)."
