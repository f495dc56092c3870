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

configs() {
  case "$1" in
    primary-backup)
      echo "--protocol primary-backup --seed 7"
      echo "--protocol primary-backup --seed 8 --replicas 5 --read-ratio 0.5"
      echo "--protocol primary-backup --seed 9 --opt pb-views=config-service"
      echo "--protocol primary-backup --seed 10 --sim-slow 1=1ms --read-ratio 0.9" ;;
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
      echo "--protocol raft --seed 10 --batch 1 --read-ratio 0.2 --sim-slow 1=1ms" ;;
    quorum)
      echo "--protocol quorum --seed 7"
      echo "--protocol quorum --seed 8 --quorum-mode abd --replicas 5 --read-ratio 0.5"
      echo "--protocol quorum --seed 9 --quorum-mode abd --coordinator replica --tied --read-ratio 0.9"
      echo "--protocol quorum --seed 10 --quorum-mode abd --hedge p50 --read-ratio 0.9 --sim-slow 1=1ms"
      echo "--protocol quorum --seed 11 --r 1 --w 3 --read-ratio 0.5" ;;
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
