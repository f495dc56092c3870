#!/usr/bin/env bash
# Supervises lab processes on one host for the Ansible playbooks (deploy/ansible). One name per process; its state
# lives in STATE_DIR (pid file, log, exit code). Where systemd is PID 1 a node runs as a transient unit (systemd-run),
# otherwise (containers, network namespaces) as a session leader recorded in a pid file.
#
#   lab-ctl.sh STATE_DIR start NAME MODE -- command...   MODE: auto|systemd|pidfile; prints pid=P supervisor=S
#   lab-ctl.sh STATE_DIR job NAME -- command...          a finite job (lab run): pid file, exit code in NAME.rc
#   lab-ctl.sh STATE_DIR wait NAME REGEX TIMEOUT_S       wait for REGEX in NAME.log; fails (exit 1, log tail) when
#                                                        the process is gone or the time is up
#   lab-ctl.sh STATE_DIR kill9 NAME [AT_EPOCH_MS]        SIGKILL (at that wall-clock time); prints pid, time, exit
#   lab-ctl.sh STATE_DIR stop NAME [GRACE_S]             SIGTERM, then SIGKILL after GRACE_S, then remove the
#                                                        Aeron directories its processes left; idempotent
#   lab-ctl.sh STATE_DIR alive NAME                      exit 0 when running
#   lab-ctl.sh STATE_DIR stop-all [GRACE_S]              stop every process named in STATE_DIR, heal a partition,
#                                                        remove netem
#   lab-ctl.sh STATE_DIR fault-kill NAME TARGET AT_S RESTART_AFTER_S -- command...   kill -9 when READY names TARGET
#   lab-ctl.sh STATE_DIR partition NODE_NAME AT_S DURATION_S ADDR...  / partition-heal
#   lab-ctl.sh STATE_DIR netem DELAY ADDRESS             / netem-off
set -uo pipefail
dir="$1"; cmd="$2"; shift 2
mkdir -p "$dir"

now_ms() { date +%s%3N; }
pid_of() { [ -s "$dir/$1.pid" ] && cat "$dir/$1.pid"; }
alive_pid() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null && [ "$(cut -d' ' -f3 /proc/"$1"/stat 2>/dev/null)" != Z ]; }
unit_of() { echo "lab-$(basename "$dir" | tr -c 'a-zA-Z0-9-\n' '-')-$1"; }
use_systemd() { # MODE
  case "$1" in
    systemd) return 0 ;;
    pidfile) return 1 ;;
    *) [ -d /run/systemd/system ] && command -v systemd-run >/dev/null ;;
  esac
}

# Removes the Aeron directories a process of NAME announced (aeron_dir=... in its log) once their owner is gone:
# a node killed with -9 leaves its /dev/shm/lab-aeron-mp-* directory behind.
clean_aeron() { # NAME [PID...]: also the directories of those (stopped) processes
  local d owner name="$1"; shift
  local extra=""
  for p in "$@"; do extra="$extra $(ls -d /dev/shm/lab-aeron-*-p"$p"-* 2>/dev/null)"; done
  for d in $(grep -o 'aeron_dir=[^ ]*' "$dir/$name.log" 2>/dev/null | cut -d= -f2 | sort -u) $extra; do
    case "$d" in */lab-aeron-*) ;; *) continue ;; esac
    owner="$(echo "$d" | sed -n 's/.*-p\([0-9]*\)-.*/\1/p')"
    if [ -e "$d" ] && ! alive_pid "$owner"; then rm -rf "$d" && echo "removed $d"; fi
  done
}

# Waits (at most READY_WAIT_S, default 120) until NAME's log has a READY line; prints the time it saw it (ms).
await_ready() {
  local deadline=$(( $(date +%s) + ${READY_WAIT_S:-120} ))
  while ! grep -q '^READY node=' "$dir/$1.log" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.05
  done
  now_ms
}
# A string as the inside of a JSON string: backslashes, quotes and control characters escaped, lines joined by \n.
json_text() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/ /g' | awk 'NR > 1 { printf "\\n" } { printf "%s", $0 }'; }
sleep_until() { while [ "$(now_ms)" -lt "$1" ]; do sleep 0.01; done; }

case "$cmd" in
  fault-kill)
    # NAME TARGET AT_S RESTART_AFTER_S -- start command...: when NAME's READY line names TARGET (its node id, or the
    # role it reported), kill -9 it AT_S seconds after that line, and RESTART_AFTER_S later start it again with the
    # command (empty: no restart). One JSON line says what happened (also when NAME is not the target).
    name="$1" target="$2" at="$3" restart="$4"; shift 5
    ready_at="$(await_ready "$name")" || { echo "{\"name\": \"$name\", \"killed\": false, \"reason\": \"never printed READY\"}"; exit 0; }
    line="$(grep '^READY node=' "$dir/$name.log" | tail -1)"
    id="$(echo "$line" | sed -n 's/^READY node=\([0-9]*\) .*/\1/p')"; role="$(echo "$line" | sed -n 's/.* role=\([^ ]*\).*/\1/p')"
    if [ "$target" != "$id" ] && [ "$target" != "$role" ]; then
      echo "{\"name\": \"$name\", \"node\": $id, \"role\": \"$role\", \"killed\": false, \"reason\": \"not the target ($target)\"}"; exit 0
    fi
    sleep_until $(( ready_at + $(awk "BEGIN{print int($at * 1000)}") ))
    k="$("$0" "$dir" kill9 "$name")" || { echo "{\"name\": \"$name\", \"killed\": false, \"reason\": \"kill failed\"}"; exit 0; }
    k="${k%\}}, \"node\": $id, \"role\": \"$role\", \"target\": \"$target\", \"ready_ms\": $ready_at, \"killed\": true"
    if [ -n "$restart" ] && [ $# -gt 0 ]; then
      sleep "$restart"
      # Under load a killed JVM can take a while to leave the process table: start refuses while it is there.
      for _ in $(seq 200); do alive_pid "$(pid_of "$name")" || break; sleep 0.05; done
      r="$("$0" "$dir" start "$name" "${FAULT_SUPERVISOR:-auto}" -- "$@")"
      pid="$(echo "$r" | sed -n 's/.*pid=\([0-9]*\).*/\1/p')"
      w="$("$0" "$dir" wait "$name" "^STARTED node=$id .* pid=$pid " "${READY_WAIT_S:-120}")"; ok=$?
      started="$(echo "$r" | sed -n 's/.*t_ms=\([0-9]*\).*/\1/p')"
      k="$k, \"restart\": {\"pid\": ${pid:-0}, \"started_ms\": ${started:-null}, \"supervisor\": \"$(echo "$r" | sed -n 's/.*supervisor=\([a-z]*\).*/\1/p')\", \"listening\": $([ $ok = 0 ] && echo true || echo false), \"line\": \"$(json_text "$w$r")\"}"
    fi
    echo "$k}"
    ;;
  start)
    name="$1" mode="$2"; shift 3 # NAME MODE --
    if alive_pid "$(pid_of "$name")"; then echo "lab-ctl: $name already runs (pid $(pid_of "$name"))" >&2; exit 1; fi
    rm -f "$dir/$name.rc" "$dir/$name.unit"
    echo "=== start $(date -u +%FT%T.%3NZ) $*" >> "$dir/$name.log"
    if use_systemd "$mode"; then
      unit="$(unit_of "$name")"
      systemctl reset-failed "$unit" 2>/dev/null || true
      systemd-run --quiet --unit "$unit" --collect -p KillMode=mixed -p TimeoutStopSec=10 \
        -p StandardOutput=append:"$dir/$name.log" -p StandardError=append:"$dir/$name.log" -- "$@" || exit 1
      echo "$unit" > "$dir/$name.unit"
      for _ in $(seq 50); do
        pid="$(systemctl show -p MainPID --value "$unit" 2>/dev/null)"; [ -n "$pid" ] && [ "$pid" != 0 ] && break
        sleep 0.1
      done
      echo "$pid" > "$dir/$name.pid"
      echo "pid=$pid supervisor=systemd unit=$unit t_ms=$(now_ms)"
    else
      # setsid: the process leads its own session and group, so nothing of it outlives a stop; exec keeps the pid.
      setsid "$@" >> "$dir/$name.log" 2>&1 < /dev/null &
      echo $! > "$dir/$name.pid"
      echo "pid=$! supervisor=pidfile t_ms=$(now_ms)"
    fi
    ;;
  job)
    name="$1"; shift 2 # NAME --
    if alive_pid "$(pid_of "$name")"; then echo "lab-ctl: $name already runs (pid $(pid_of "$name"))" >&2; exit 1; fi
    rm -f "$dir/$name.rc"
    echo "t0_ms=$(now_ms)"
    setsid bash -c 'rc_file="$1"; shift; "$@"; echo $? > "$rc_file"' job "$dir/$name.rc" "$@" \
      > "$dir/$name.log" 2>&1 < /dev/null &
    echo $! > "$dir/$name.pid"
    echo "pid=$! supervisor=pidfile"
    ;;
  wait)
    name="$1" regex="$2" timeout="$3"
    deadline=$(( $(date +%s) + timeout ))
    while :; do
      if grep -Eq "$regex" "$dir/$name.log" 2>/dev/null; then grep -E "$regex" "$dir/$name.log" | tail -1; exit 0; fi
      if ! alive_pid "$(pid_of "$name")"; then
        echo "$name exited before it printed '$regex'; last lines of $dir/$name.log:"; tail -5 "$dir/$name.log" 2>/dev/null
        exit 1
      fi
      if [ "$(date +%s)" -ge "$deadline" ]; then
        echo "$name did not print '$regex' within ${timeout}s; last lines of $dir/$name.log:"; tail -5 "$dir/$name.log" 2>/dev/null
        exit 1
      fi
      sleep 0.2
    done
    ;;
  kill9)
    name="$1" at="${2:-0}"
    while [ "$(now_ms)" -lt "$at" ]; do sleep 0.01; done
    pid="$(pid_of "$name")"
    alive_pid "$pid" || { echo "lab-ctl: $name is not running" >&2; exit 1; }
    t="$(now_ms)"
    if [ -s "$dir/$name.unit" ]; then systemctl kill -s KILL "$(cat "$dir/$name.unit")"; else kill -KILL -- -"$pid" 2>/dev/null || kill -KILL "$pid"; fi
    for _ in $(seq 100); do alive_pid "$pid" || break; sleep 0.05; done
    alive_pid "$pid" && { echo "lab-ctl: $name (pid $pid) survived SIGKILL" >&2; exit 1; }
    clean_aeron "$name" >&2
    echo "{\"name\": \"$name\", \"pid\": $pid, \"signal\": \"KILL\", \"killed_at_ms\": $t, \"gone_at_ms\": $(now_ms)}"
    ;;
  stop)
    name="$1" grace="${2:-5}"
    pid="$(pid_of "$name")"
    group="$( [ -n "$pid" ] && ps -o pid= -g "$pid" 2>/dev/null | tr -d ' ' | tr '\n' ' ')"
    if [ -s "$dir/$name.unit" ]; then systemctl stop "$(cat "$dir/$name.unit")" 2>/dev/null || true; fi
    if alive_pid "$pid"; then
      kill -TERM -- -"$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
      for _ in $(seq $(( grace * 10 ))); do alive_pid "$pid" || break; sleep 0.1; done
      if alive_pid "$pid"; then kill -KILL -- -"$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null; echo "stopped $name (pid $pid): SIGKILL after ${grace}s"
      else echo "stopped $name (pid $pid)"; fi
    fi
    rm -f "$dir/$name.pid" "$dir/$name.unit"
    clean_aeron "$name" $group
    ;;
  alive)
    alive_pid "$(pid_of "$1")"
    ;;
  stop-all)
    grace="${1:-5}"
    # A fault agent writes its record when it is done (after the restart it made): let it finish, bounded, before
    # stopping it, or a run that ends soon after its fault would lose the record of the fault.
    deadline=$(( $(date +%s) + ${FAULT_WAIT_S:-30} ))
    for job in fault partition; do
      while alive_pid "$(pid_of "$job")" && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.2; done
    done
    for f in "$dir"/*.pid; do [ -e "$f" ] && "$0" "$dir" stop "$(basename "$f" .pid)" "$grace"; done
    "$0" "$dir" partition-heal; "$0" "$dir" netem-off
    for f in "$dir"/*.log; do [ -e "$f" ] && clean_aeron "$(basename "$f" .log)"; done
    exit 0
    ;;
  partition)
    # NODE_NAME AT_S DURATION_S ADDRESS...: AT_S seconds after NODE_NAME printed READY (the run configured it), drop
    # every packet to and from those addresses for DURATION_S (nftables, else iptables); prints what it did as JSON.
    # partition-heal undoes it (idempotent).
    node="$1" at="$2" duration="$3"; shift 3
    ready_at="$(await_ready "$node")" || { echo "{\"applied\": false, \"reason\": \"$node never printed READY\"}"; exit 0; }
    sleep_until $(( ready_at + ${at%.*} * 1000 ))
    t="$(now_ms)"
    if command -v nft >/dev/null && nft add table inet lab_partition 2>/dev/null; then
      tool=nft
      nft add chain inet lab_partition input '{ type filter hook input priority -10; }'
      nft add chain inet lab_partition output '{ type filter hook output priority -10; }'
      for a in "$@"; do nft add rule inet lab_partition input ip saddr "$a" drop; nft add rule inet lab_partition output ip daddr "$a" drop; done
    elif command -v iptables >/dev/null && iptables -L INPUT -n >/dev/null 2>&1; then
      tool=iptables
      for a in "$@"; do
        iptables -I INPUT -s "$a" -j DROP -m comment --comment lab-partition
        iptables -I OUTPUT -d "$a" -j DROP -m comment --comment lab-partition
      done
    else
      echo "{\"applied\": false, \"reason\": \"neither nft nor iptables works on this host\", \"at_ms\": $t}"
      exit 0
    fi
    echo "$tool $*" > "$dir/partition.state"
    sleep "$duration"
    "$0" "$dir" partition-heal > /dev/null
    echo "{\"applied\": true, \"tool\": \"$tool\", \"peers\": \"$*\", \"from_ms\": $t, \"healed_ms\": $(now_ms)}"
    ;;
  partition-heal)
    [ -s "$dir/partition.state" ] || exit 0
    read -r tool addrs < "$dir/partition.state"
    if [ "$tool" = nft ]; then nft delete table inet lab_partition 2>/dev/null || true
    else for a in $addrs; do
      iptables -D INPUT -s "$a" -j DROP -m comment --comment lab-partition 2>/dev/null || true
      iptables -D OUTPUT -d "$a" -j DROP -m comment --comment lab-partition 2>/dev/null || true
    done; fi
    rm -f "$dir/partition.state"; echo "healed ($tool)"
    ;;
  netem)
    # DELAY ADDRESS: netem delay on the interface that holds ADDRESS; exit 1 (nothing changed) where the kernel has
    # no netem. netem-off undoes it.
    delay="$1" addr="$2"
    dev="$(ip -o -4 addr show 2>/dev/null | awk -v a="$addr" '{ split($4, p, "/"); if (p[1] == a) print $2 }' | head -1)"
    [ -n "$dev" ] || { echo "no interface holds $addr"; exit 1; }
    tc qdisc add dev "$dev" root netem delay "$delay" 2>&1 || exit 1
    echo "$dev" > "$dir/netem.state"; echo "netem delay $delay on $dev"
    ;;
  netem-off)
    [ -s "$dir/netem.state" ] || exit 0
    tc qdisc del dev "$(cat "$dir/netem.state")" root 2>/dev/null || true
    rm -f "$dir/netem.state"; echo "netem removed"
    ;;
  *) echo "lab-ctl: unknown command $cmd" >&2; exit 2 ;;
esac
