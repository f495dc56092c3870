#!/usr/bin/env bash
# Reproduces issue 15: runs `bin/lab run ARGS...` and, once it is up, sends forged Aeron frames from loopback to
# every UDP port the run's JVMs listen on (lab.harness.aeron.ForgedFrames, harness test classes).
#   scripts/forge-setup.sh bad-mtu|garbage|foreign -- --transport udp --protocol none --duration 3s
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
what="$1"; shift; [ "${1:-}" = "--" ] && shift
cp="$root/harness/target/test-classes:$root/lab/target/lab.jar"
"$root/bin/lab" run "$@" &
lab=$!
sleep "${FORGE_DELAY:-2.5}"
pids="$(pgrep -P "$lab") $lab $(for p in $(pgrep -P "$lab"); do pgrep -P "$p"; done)"
ports=""
for p in $pids; do
  ports="$ports $(ss -Hulpn 2>/dev/null | grep "pid=$p," | awk '{print $4}' | grep '^127.0.0.1:' | cut -d: -f2)"
done
echo "forge: $what at ports:$ports" >&2
ports="$(echo $ports | tr ' ' ',')"
[ -n "$ports" ] && java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp "$cp" lab.harness.aeron.ForgedFrames \
  127.0.0.1 "$ports" "$what" 900 1001 1002 1003 1004 1005 >&2
wait "$lab"
echo "lab exit code: $?" >&2
