#!/bin/bash
# Run from the repository root; it ran on a copy of lab/target/lab.jar built at the first tied commit.
# The tied rows of the tail-tolerant reads table (simulator, exact). Usage: table.sh
J="java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -jar lab/target/lab.jar"
for store in abd craq; do
  if [ $store = abd ]; then P="--protocol quorum --quorum-mode abd"; else P="--protocol chain --reads craq"; fi
  for slow in quiet slow; do
    S=""; [ $slow = slow ] && S="--sim-slow 1=2ms"
    echo "== $store $slow: bin/lab run $P --transport sim --clients 4 --duration 2s --tied $S" > $store-$slow.txt
    $J run $P --transport sim --clients 4 --duration 2s --tied $S --json $store-$slow.json >> $store-$slow.txt 2>&1
  done
done
