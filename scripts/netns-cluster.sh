#!/usr/bin/env bash
# Emulated hosts on one machine: one network namespace per replica and one for the load driver, joined by veth pairs
# to a bridge that lives in its own namespace (nothing is added to the host's network), one `lab node` process per
# replica inside its namespace, the load driven from the client namespace, then everything torn down.
#
#   scripts/netns-cluster.sh [--replicas N] [--delay 200us] [--jitter 0us] [--loss 0] -- <lab run args...>
#   e.g. scripts/netns-cluster.sh --replicas 3 --delay 200us -- --protocol raft --duration 5s
#
# Link delay/jitter/loss: tc netem on each namespace's interface where the kernel has it; otherwise (this machine's
# kernel: no netem, see docs/machine-notes.md) the lab's own receive-edge stage (--link-delay ...). The output says which.
# Needs root and iproute2. LAB_CMD overrides the lab command (default: bin/lab).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
replicas=3 delay=0us jitter=0us loss=0
while [ $# -gt 0 ]; do
  case "$1" in
    --replicas) replicas="$2"; shift 2 ;;
    --delay) delay="$2"; shift 2 ;;
    --jitter) jitter="$2"; shift 2 ;;
    --loss) loss="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "netns-cluster: unknown argument $1 (options before --, lab run arguments after)" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "netns-cluster: needs root (network namespaces)" >&2; exit 3; }
command -v ip >/dev/null || { echo "netns-cluster: needs iproute2 (ip)" >&2; exit 3; }
lab=${LAB_CMD:-"$root/bin/lab"}

tag="lab$$"
bridge_ns="$tag-br"
work="$(mktemp -d /tmp/lab-netns.XXXXXX)"
pids=()
namespaces=("$bridge_ns")

cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  sleep 0.5
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

ip netns add "$bridge_ns"
ip -n "$bridge_ns" link add br0 type bridge
ip -n "$bridge_ns" link set br0 up
ip -n "$bridge_ns" link set lo up

us() { # duration -> microseconds (for tc)
  local v="$1"
  case "$v" in
    *us) echo "${v%us}" ;; *ms) echo $(( ${v%ms} * 1000 )) ;; *s) echo $(( ${v%s} * 1000000 )) ;; *) echo "$v" ;;
  esac
}

netem=false
add_host() { # name address
  local ns="$tag-$1" addr="$2" i="${#namespaces[@]}"
  ip netns add "$ns"
  namespaces+=("$ns")
  ip link add "v$tag$i" type veth peer name "b$tag$i"
  ip link set "v$tag$i" netns "$ns"
  ip link set "b$tag$i" netns "$bridge_ns"
  ip -n "$ns" link set "v$tag$i" name eth0
  ip -n "$ns" addr add "$addr/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
  ip -n "$bridge_ns" link set "b$tag$i" master br0
  ip -n "$bridge_ns" link set "b$tag$i" up
  if [ "$delay" != 0us ] || [ "$loss" != 0 ]; then
    if ip netns exec "$ns" tc qdisc add dev eth0 root netem delay "$(us "$delay")us" "$(us "$jitter")us" \
        loss "$(awk "BEGIN{print $loss*100}")%" 2>/dev/null; then
      netem=true
    fi
  fi
}

cluster="$work/cluster.toml"
: > "$cluster"
for i in $(seq 0 $((replicas - 1))); do
  add_host "n$i" "10.77.0.$((10 + i))"
  printf '[[node]]\nid = %d\nhost = "10.77.0.%d"\nport = 20100\n\n' "$i" $((10 + i)) >> "$cluster"
done
add_host client 10.77.0.100
printf '[[client]]\nhost = "10.77.0.100"\nport = 20200\n' >> "$cluster"

link_args=()
if [ "$delay" != 0us ] || [ "$loss" != 0 ]; then
  if $netem; then
    echo "netns-cluster: link emulation: tc netem (delay $delay jitter $jitter loss $loss on every interface)"
  else
    echo "netns-cluster: link emulation: no netem in this kernel, the lab's receive-edge stage (delay $delay jitter $jitter loss $loss)"
    link_args=(--link-delay "$delay" --link-jitter "$jitter" --link-loss "$loss")
  fi
fi

for i in $(seq 0 $((replicas - 1))); do
  ip netns exec "$tag-n$i" $lab node --id "$i" --cluster "$cluster" > "$work/node$i.log" 2>&1 &
  pids+=("$!")
done
echo "netns-cluster: $replicas replica namespaces (10.77.0.10..) + client (10.77.0.100) behind a bridge namespace"
set +e
ip netns exec "$tag-client" $lab run --replicas "$replicas" --cluster "$cluster" "${link_args[@]}" "$@"
rc=$?
set -e
if [ $rc -ne 0 ]; then
  for i in $(seq 0 $((replicas - 1))); do echo "--- node $i"; tail -5 "$work/node$i.log"; done >&2
fi
exit $rc
