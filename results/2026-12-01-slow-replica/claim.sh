#!/bin/bash
# The notes' claim: one slow or paused non-leader replica, write p50/p99 before and during.
L=${L:-bin/lab}
out=${1:-results/slow-replica}
mkdir -p $out
for n in 3 5; do
for pr in "chain middle" "primary-backup backup" "raft follower" "quorum replica"; do
  set -- $pr; p=$1; role=$2
  for f in slow pause; do
    if [ $f = slow ]; then spec="slow:$role=1ms@4s,clear:$role@9s"; else spec="pause:$role=50ms@4s..9s/every=200ms"; fi
    cmd="bin/lab run --protocol $p --replicas $n --warmup 2s --duration 8s --rate 500 --fault $spec --json $out/$p-$n-$f.json"
    echo "$cmd" >> $out/commands.txt
    timeout 120 $L run --protocol $p --replicas $n --warmup 2s --duration 8s --rate 500 --fault "$spec" --json $out/$p-$n-$f.json > $out/$p-$n-$f.txt 2>&1 || echo "FAILED $cmd"
  done
done
done
python3 - "$out" <<'PY'
import json,sys,os
out=sys.argv[1]
print("%-15s %2s %-6s | %8s %8s %8s | %8s %8s %8s | %6s %6s | %s" % ("protocol","N","fault","p50 bef","p99 bef","p99.9 bef","p50 dur","p99 dur","p99.9 dur","ops bef","ops dur","target / longest write gap during ms / timeouts"))
for n in (3,5):
  for p in ("chain","primary-backup","raft","quorum"):
    for f in ("slow","pause"):
      fn=f"{out}/{p}-{n}-{f}.json"
      if not os.path.exists(fn): print(p,n,f,"missing"); continue
      d=json.load(open(fn)); ph={x['phase']:x for x in d['faults']['phases']}
      b=ph['before']; u=ph['during']
      ev=d['faults']['events'][0]
      ev=ev['event'].split(' (repeated')[0]
      print("%-15s %2d %-6s | %8.1f %8.1f %8.1f | %8.1f %8.1f %8.1f | %6d %6d | %s node%s / %.1f / %s" % (p,n,f,b['write_p50_us'],b['write_p99_us'],b['write_p999_us'],u['write_p50_us'],u['write_p99_us'],u['write_p999_us'],b['ops_per_s'],u['ops_per_s'],ev,d['faults']['events'][0].get('node'),u['longest_write_gap_ms'],d['ops']['write'].get('timeouts')))
PY
