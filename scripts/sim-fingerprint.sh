#!/usr/bin/env bash
# Fingerprints of seeded simulator runs: everything a run's results contract says except its environment
# (command line, start time, load), one line per configuration. The simulator is deterministic, so a refactoring
# that must not change behaviour (hops, messages, latencies, counters) must leave every line identical:
#
#   scripts/sim-fingerprint.sh raft > /tmp/before.txt     # on the old commit
#   scripts/sim-fingerprint.sh raft > /tmp/after.txt      # on the new one
#   diff /tmp/before.txt /tmp/after.txt && echo identical
#
# Protocols: primary-backup chain raft quorum all. Extra configurations: one per line on stdin with --stdin.
set -euo pipefail
cd "$(dirname "$0")/.."

protocol="${1:-all}"
common=(--transport sim --duration 1s --warmup 200ms --clients 3 --outstanding 4 --quiet)
# Journals (quorum-storage=file) fsync for real, minutes of a run on a busy disk; simulated time never sees it, so on
# tmpfs the fingerprint is the same.
if [[ -d /dev/shm && -w /dev/shm ]]; then export LAB_JAVA_OPTS="${LAB_JAVA_OPTS:-} -Djava.io.tmpdir=/dev/shm"; fi

configs() {
  case "$1" in
    primary-backup)
      echo "--protocol primary-backup --seed 7"
      echo "--protocol primary-backup --seed 8 --replicas 5 --read-ratio 0.5"
      echo "--protocol primary-backup --seed 9 --opt pb-views=config-service"
      echo "--protocol primary-backup --seed 10 --sim-slow 1=1ms --read-ratio 0.9"
      echo "--protocol primary-backup --seed 11 --opt pb-reads=backup --read-ratio 0.5"
      echo "--protocol primary-backup --seed 12 --replicas 5 --opt pb-views=config-service --read-ratio 0.5 --sim-slow 2=1ms"
      echo "--protocol primary-backup --seed 13 --opt pb-views=config-service --opt pb-config-nodes=1 --read-ratio 0.9"
      echo "--protocol primary-backup --seed 14 --opt pb-pending-capacity=4 --read-ratio 0.2"
      echo "--protocol primary-backup --seed 15 --opt pb-heartbeat=1ms --opt pb-backup-timeout=3ms --opt pb-retransmit=1ms --sim-slow 1=5ms"
      echo "--protocol primary-backup --seed 16 --replicas 5 --opt pb-views=config-service --opt pb-heartbeat=1ms --opt pb-backup-timeout=3ms --sim-slow 1=5ms" ;;
    chain)
      echo "--protocol chain --seed 7"
      echo "--protocol chain --seed 8 --replicas 5 --reads craq --read-ratio 0.95"
      echo "--protocol chain --seed 9 --reads craq --chain-ack tail --tied --read-ratio 0.9"
      echo "--protocol chain --seed 10 --reads craq --chain-ack tail --hedge p50 --read-ratio 0.9 --sim-slow 1=1ms"
      echo "--protocol chain --seed 11 --chain-ack head --read-ratio 0.5"
      echo "--protocol chain --seed 12 --chain-ack head --reads craq --replicas 5 --read-ratio 0.9"
      echo "--protocol chain --seed 13 --opt chain-manager=single --reads craq --read-ratio 0.5"
      echo "--protocol chain --seed 14 --chain-ack head --reads craq --hedge 100us --read-ratio 0.9 --sim-slow 2=1ms"
      echo "--protocol chain --seed 15 --chain-ack head --reads craq --tied --read-ratio 0.5 --sim-slow 0=1ms" ;;
    raft)
      echo "--protocol raft --seed 7"
      echo "--protocol raft --seed 8 --replicas 5 --read-ratio 0.5"
      echo "--protocol raft --seed 9 --raft-reads read-index --read-ratio 0.5"
      echo "--protocol raft --seed 10 --batch 1 --read-ratio 0.2 --sim-slow 1=1ms"
      echo "--protocol raft --seed 11 --opt raft-log=file --fsync batch --batch 16 --read-ratio 0.5"
      echo "--protocol raft --seed 12 --opt raft-log=file --fsync always --batch 4 --raft-reads read-index --read-ratio 0.5"
      echo "--protocol raft --seed 13 --replicas 5 --batch 256 --opt raft-pipeline=1 --read-ratio 0.1 --sim-slow 2=1ms"
      echo "--protocol raft --seed 14 --replicas 1 --read-ratio 0.5"
      echo "--protocol raft --seed 15 --opt raft-snapshot-entries=16 --raft-reads read-index --read-ratio 0.3"
      echo "--protocol raft --seed 16 --opt raft-log=file --fsync none --opt raft-pre-vote=false --opt raft-check-quorum=false" ;;
    quorum)
      echo "--protocol quorum --seed 7"
      echo "--protocol quorum --seed 8 --quorum-mode abd --replicas 5 --read-ratio 0.5"
      echo "--protocol quorum --seed 9 --quorum-mode abd --coordinator replica --tied --read-ratio 0.9"
      echo "--protocol quorum --seed 10 --quorum-mode abd --hedge p50 --read-ratio 0.9 --sim-slow 1=1ms"
      echo "--protocol quorum --seed 11 --r 1 --w 3 --read-ratio 0.5"
      echo "--protocol quorum --seed 12 --replicas 5 --opt n=3 --w 3 --opt sloppy-quorum=true --opt hint-after=1ms --sim-slow 1=5ms --read-ratio 0.5"
      echo "--protocol quorum --seed 13 --replicas 5 --opt n=3 --opt sloppy-quorum=true --opt hint-after=2ms --opt quorum-retry=5ms --link-loss 0.02 --read-ratio 0.5"
      echo "--protocol quorum --seed 14 --r 2 --w 1 --opt read-repair=sync --read-ratio 0.5"
      echo "--protocol quorum --seed 15 --r 2 --w 1 --read-ratio 0.5 --sim-slow 2=1ms"
      echo "--protocol quorum --seed 16 --coordinator replica --read-ratio 0.5"
      echo "--protocol quorum --seed 17 --coordinator replica --tied --read-ratio 0.9"
      echo "--protocol quorum --seed 18 --quorum-mode abd --replicas 5 --tied --r 3 --w 3 --read-ratio 0.9 --sim-slow 2=1ms"
      echo "--protocol quorum --seed 19 --quorum-mode abd --replicas 5 --coordinator replica --tied --r 3 --w 3 --read-ratio 0.9"
      echo "--protocol quorum --seed 20 --quorum-mode abd --hedge 300us --read-ratio 0.9 --sim-slow 1=1ms"
      echo "--protocol quorum --seed 21 --hedge p95 --read-ratio 0.9 --sim-slow 2=2ms"
      echo "--protocol quorum --seed 22 --quorum-mode abd --coordinator replica --hedge p90 --read-ratio 0.9 --sim-slow 1=1ms"
      echo "--protocol quorum --seed 23 --opt quorum-storage=file --read-ratio 0.5"
      echo "--protocol quorum --seed 24 --quorum-mode abd --coordinator replica --opt quorum-storage=file --read-ratio 0.5"
      echo "--protocol quorum --seed 25 --quorum-mode abd --opt quorum-retry=5ms --link-loss 0.01 --read-ratio 0.5"
      echo "--protocol quorum --seed 26 --quorum-mode abd --tied --opt quorum-retry=5ms --link-loss 0.02 --read-ratio 0.9"
      echo "--protocol quorum --seed 27 --coordinator replica --r 1 --w 1 --opt clock=lamport --opt read-repair=off --read-ratio 0.5" ;;
  esac
}

all_configs() {
  if [[ "$protocol" == all ]]; then
    for p in primary-backup chain raft quorum; do configs "$p"; done
  else
    configs "$protocol"
  fi
  if [[ "${2:-}" == --stdin || "${1:-}" == --stdin ]]; then cat; fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
while IFS= read -r line; do
  [[ -z "$line" ]] && continue
  # shellcheck disable=SC2086
  if bin/lab run $line "${common[@]}" --json "$tmp/r.json" > "$tmp/out.txt" 2>&1; then
    fp=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
d.pop("environment", None)
print(json.dumps(d, sort_keys=True, separators=(",", ":")))' "$tmp/r.json" | sha256sum | cut -c1-16)
    hops=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
parts = []
for t, v in d.get("ops", {}).items():
    if isinstance(v, dict):
        parts.append("%s:n=%s,hops=%s" % (t, v.get("count"), (v.get("hops") or {}).get("measured")))
parts.append("msgs/op=%.3f" % d.get("messages", {}).get("per_op", 0))
print(" ".join(parts))' "$tmp/r.json")
    echo "$fp  $line  [$hops]"
  else
    echo "FAILED  $line  ($(tail -1 "$tmp/out.txt"))"
  fi
done < <(all_configs "$@")
