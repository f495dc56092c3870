#!/usr/bin/env bash
# Compares two commits of the lab on one workload, interleaved so that both see the same machine: builds each
# commit's lab.jar in a temporary git worktree, then runs `lab run ARGS --repeat 3 --quiet` with the two jars in
# turn, ROUNDS times, and prints each run's p50 and p99 per jar. On a shared VM whose noise changes over minutes,
# only an interleaved comparison says which build is faster; single runs do not.
#
#   scripts/ab-commits.sh [--rounds N] OLD NEW -- <lab run args...>
#   e.g. scripts/ab-commits.sh 0f2b10b HEAD -- --protocol raft --transport udp --read-ratio 0 --clients 2 \
#          --rate 150000 --duration 10s --warmup 10s --opt raft-log=file
#
# The worktrees and their builds are removed at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=3
if [ "${1:-}" = "--rounds" ]; then rounds="$2"; shift 2; fi
if [ $# -lt 3 ] || [ "$3" != "--" ]; then
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
old="$1" new="$2"; shift 3
work="$(mktemp -d)"
cleanup() {
  for side in old new; do git -C "$root" worktree remove --force "$work/$side" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
for side in old new; do
  rev="$old"; [ "$side" = new ] && rev="$new"
  git -C "$root" worktree add -q --detach "$work/$side" "$rev"
  echo "building $side ($(git -C "$root" rev-parse --short=12 "$rev")) ..." >&2
  (cd "$work/$side" && mvn -q -B -DskipTests -pl lab -am package) >&2
done
for round in $(seq 1 "$rounds"); do
  for side in old new; do
    printf 'round %d %s: ' "$round" "$side"
    java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -jar "$work/$side/lab/target/lab.jar" run "$@" \
      --repeat 3 --quiet 2>&1 | awk '($1 == "write" || $1 == "read") && $2 > 0 { printf "%s p50 %s p99 %s us, ", $1, $4, $7 }
        $1 == "total" { printf "%s ops/s; ", $2 } END { print "" }'
  done
done
