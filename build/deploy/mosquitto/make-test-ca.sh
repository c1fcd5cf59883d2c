#!/usr/bin/env bash
# Makes a TEST certificate authority and a broker certificate for mosquitto-tls.conf:
#   build/deploy/mosquitto/make-test-ca.sh <out-dir> [broker-host-name] [broker-ip]
# Writes ca.crt, ca.key, server.crt, server.key (EC P-256, SAN = host name + IP). Kiosks get ca.crt as fleet.caFile.
# For tests and pilots only: production certificates come from the operator's PKI.
set -euo pipefail
out="${1:?usage: make-test-ca.sh <out-dir> [host] [ip]}"
host="${2:-localhost}"
ip="${3:-127.0.0.1}"
mkdir -p "$out"
cd "$out"
openssl ecparam -name prime256v1 -genkey -noout -out ca.key 2>/dev/null
openssl req -x509 -new -key ca.key -sha256 -days 825 -subj "/CN=hall-kiosk fleet test CA" -out ca.crt
openssl ecparam -name prime256v1 -genkey -noout -out server.key 2>/dev/null
openssl req -new -key server.key -subj "/CN=${host}" -out server.csr
printf 'subjectAltName=DNS:%s,IP:%s\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n' "$host" "$ip" > server.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 -sha256 -extfile server.ext -out server.crt 2>/dev/null
rm -f server.csr server.ext ca.srl
chmod 600 ca.key server.key
echo "test CA and broker certificate for ${host} / ${ip} in ${out}"
