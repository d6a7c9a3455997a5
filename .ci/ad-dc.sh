#!/usr/bin/env bash
# Starts a throwaway Samba AD domain controller for tests (see shared spec ad.md §5):
# LDAP on 127.0.0.1:389 (simple bind allowed), LDAPS on :636 and StartTLS, with a
# self-signed certificate for 127.0.0.1/localhost/dc1.test.local.
# Idempotent. Writes the connection variables to $AD_DIR/env.
# Stop it with: kill "$(cat "$AD_DIR/samba.pid")"
set -euo pipefail
AD_DIR=${AD_DIR:-/tmp/ci-samba-ad}
AD_PASS=${AD_PASS:-'Passw0rd!Test'}
pidf=$AD_DIR/samba.pid

if [ -s "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null; then
  echo "samba AD already up (pid $(cat "$pidf"))"
  exit 0
fi
if ! dpkg -s samba samba-dsdb-modules samba-vfs-modules samba-ad-provision openssl >/dev/null 2>&1; then
  echo "installing samba (Debian packages)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    samba samba-dsdb-modules samba-vfs-modules samba-ad-provision openssl >/dev/null
fi
if (exec 3<>/dev/tcp/127.0.0.1/389) 2>/dev/null; then
  echo "127.0.0.1:389 is taken by another process" >&2
  exit 1
fi
rm -rf "$AD_DIR"
mkdir -p "$AD_DIR/tls" "$AD_DIR/run"
echo "provisioning domain TEST.LOCAL in $AD_DIR..."
samba-tool domain provision -q --realm=TEST.LOCAL --domain=TEST --server-role=dc --dns-backend=NONE --use-rfc2307 \
  --backend-store=mdb --host-name=dc1 --host-ip=127.0.0.1 --adminpass="$AD_PASS" --targetdir="$AD_DIR/dc" \
  --option="interfaces=lo" --option="bind interfaces only=yes" >"$AD_DIR/provision.log" 2>&1 \
  || { cat "$AD_DIR/provision.log" >&2; exit 1; }
# Samba's own certificate can carry a negative serial (Go refuses it) and has no SAN.
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=dc1.test.local -keyout "$AD_DIR/tls/key.pem" \
  -out "$AD_DIR/tls/cert.pem" -addext "subjectAltName=DNS:dc1.test.local,DNS:localhost,IP:127.0.0.1" 2>/dev/null
chmod 600 "$AD_DIR/tls/key.pem"
samba -s "$AD_DIR/dc/etc/smb.conf" -F --debug-stdout -d1 --option="server services=ldap" --option="ldb:nosync=true" \
  --option="ldap server require strong auth=no" --option="pid directory=$AD_DIR/run" \
  --option="ncalrpc dir=$AD_DIR/run/ncalrpc" \
  --option="tls certfile=$AD_DIR/tls/cert.pem" --option="tls keyfile=$AD_DIR/tls/key.pem" \
  --option="tls cafile=$AD_DIR/tls/cert.pem" >"$AD_DIR/samba.log" 2>&1 </dev/null &
echo $! >"$pidf"
for _ in $(seq 1 300); do
  (exec 3<>/dev/tcp/127.0.0.1/389) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/636) 2>/dev/null && break
  kill -0 "$(cat "$pidf")" 2>/dev/null || { cat "$AD_DIR/samba.log" >&2; exit 1; }
  sleep 0.1
done
(exec 3<>/dev/tcp/127.0.0.1/636) 2>/dev/null || { echo "samba: 389/636 not open after 30s" >&2; exit 1; }
printf 'AD_LDAP_URL=ldap://127.0.0.1:389\nAD_LDAPS_URL=ldaps://127.0.0.1:636\nAD_BIND=Administrator@TEST.LOCAL\nAD_PASS=%s\nAD_BASE_DN=DC=test,DC=local\nAD_CA_FILE=%s\n' \
  "$AD_PASS" "$AD_DIR/tls/cert.pem" >"$AD_DIR/env"
echo "samba AD up (pid $(cat "$pidf")); source $AD_DIR/env"
