#!/bin/bash
# Ran from /tmp/tied-torture with a copy of lab/target/lab.jar (first tied commit); six workers, then two more for the last ranges.
# worker.sh NAME FIRST LAST OPTS...: torture seeds FIRST..LAST-1 in chunks of 50, one log line per chunk
name=$1; first=$2; last=$3; shift 3
J="java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -jar /tmp/tied-torture/lab.jar"
for ((s=first; s<last; s+=50)); do
  echo "== $name first-seed=$s seeds=50 $(date +%T)" >> /tmp/tied-torture/$name.log
  $J torture "$@" --first-seed $s --seeds 50 --threads 1 > /tmp/tied-torture/$name-$s.out 2>&1
  echo "rc=$? $(tail -1 /tmp/tied-torture/$name-$s.out)" >> /tmp/tied-torture/$name.log
done
