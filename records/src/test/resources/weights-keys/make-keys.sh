#!/bin/sh
# Regenerates the OpenSSL-made Ed25519 test key pair (WeightsKeysTest reads it to check that keys
# from openssl, as the README documents, load and match). Test keys only: never trust them.
set -eu
cd "$(dirname "$0")"
openssl genpkey -algorithm ed25519 -out openssl-signing-key.pem
openssl pkey -in openssl-signing-key.pem -pubout -out openssl-public-key.pem
openssl pkey -in openssl-signing-key.pem -pubout -outform DER -out openssl-public-key.der
