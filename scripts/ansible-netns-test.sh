#!/usr/bin/env bash
# The Ansible playbooks (deploy/ansible) against real SSH hosts emulated on this machine: 3 network namespaces for
# nodes, 1 for the client and 1 for the control machine (Ansible runs there), joined by veth pairs to a bridge in
# its own namespace (nothing is added to the host's network); sshd in each host namespace with host and user keys
# made for this run in a temporary folder; each "host" gets its own lab_home / lab_run_root under that folder.
# Runs setup.yml, then run.yml twice: a short Raft run, and a primary-backup run with profiling and kill -9 of the
# primary and its restart. Then everything is torn down and checked: no process, sshd, namespace, key or
# /dev/shm/lab-aeron-* directory of this run is left.
#
#   scripts/ansible-netns-test.sh [--install] [--jar FILE] [--java BIN] [--results DIR]
#     --install   apt-get install ansible-core / openssh-server when missing (services kept from starting)
#     --jar       the lab jar copied to the hosts (default lab/target/lab.jar)
#     --results   where the two results folders go (default: a folder printed at the end, kept)
# Exit 0: passed; 77: cannot run here (not root, no namespaces, no Ansible/sshd), with the reason; else failed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
install=false jar="$root/lab/target/lab.jar" java="$(command -v java || true)" results=""
while [ $# -gt 0 ]; do
  case "$1" in
    --install) install=true; shift ;;
    --jar) jar="$2"; shift 2 ;;
    --java) java="$2"; shift 2 ;;
    --results) results="$2"; shift 2 ;;
    *) echo "ansible-netns-test: unknown argument $1" >&2; exit 2 ;;
  esac
done
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, sshd)"
command -v ip >/dev/null || skip "needs iproute2 (ip)"
[ -s "$jar" ] || { echo "ansible-netns-test: no lab jar at $jar" >&2; exit 2; }

if ! command -v ansible-playbook >/dev/null || [ ! -x /usr/sbin/sshd ]; then
  $install || skip "needs ansible-core and openssh-server (apt-get install ansible-core openssh-server, or --install)"
  t=$(date +%s)
  guard=false
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; guard=true; fi
  DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -q --no-install-recommends ansible-core openssh-server \
    > /tmp/ansible-netns-apt.$$ 2>&1 || { apt-get update -q > /dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive \
    timeout 300 apt-get install -y -q --no-install-recommends ansible-core openssh-server >> /tmp/ansible-netns-apt.$$ 2>&1; }
  $guard && rm -f /usr/sbin/policy-rc.d
  tail -2 /tmp/ansible-netns-apt.$$; rm -f /tmp/ansible-netns-apt.$$
  command -v ansible-playbook >/dev/null && [ -x /usr/sbin/sshd ] || skip "apt-get could not install ansible-core / openssh-server"
  echo "installed ansible-core and openssh-server in $(( $(date +%s) - t )) s"
fi

tag="la$$"
tmp="$(mktemp -d /tmp/lab-ansible.XXXXXX)"
chmod 755 "$tmp"
[ -n "$results" ] || results="$(mktemp -d /tmp/lab-ansible-results.XXXXXX)"
mkdir -p "$results"
namespaces=()
made_run_sshd=false
hosts=(n0 n1 n2 c0)
declare -A addr=([n0]=10.78.0.10 [n1]=10.78.0.11 [n2]=10.78.0.12 [c0]=10.78.0.100 [ctl]=10.78.0.200)

cleanup() {
  set +e
  # what the playbooks should already have stopped: anything still running from this run's folder
  for p in $(pgrep -f -- "$tmp/" 2>/dev/null); do [ "$p" != $$ ] && kill -9 "$p" 2>/dev/null; done
  for h in "${hosts[@]}"; do [ -s "$tmp/sshd-$h.pid" ] && kill "$(cat "$tmp/sshd-$h.pid")" 2>/dev/null; done
  sleep 0.3
  for h in "${hosts[@]}"; do [ -s "$tmp/sshd-$h.pid" ] && kill -9 "$(cat "$tmp/sshd-$h.pid")" 2>/dev/null; done
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null; done
  for d in /dev/shm/lab-aeron-mp-"$tag"-* ; do [ -e "$d" ] && rm -rf "$d" && echo "cleanup: removed leftover $d"; done
  $made_run_sshd && rmdir /run/sshd 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- network: a bridge namespace, one namespace per host and one for the control machine -------------------------
ns() { echo "$tag-$1"; }
ip netns add "$(ns br)" || skip "cannot create network namespaces here"
namespaces+=("$(ns br)")
ip -n "$(ns br)" link add br0 type bridge && ip -n "$(ns br)" link set br0 up && ip -n "$(ns br)" link set lo up
i=0
for h in "${hosts[@]}" ctl; do
  n="$(ns "$h")"
  ip netns add "$n"; namespaces+=("$n")
  ip link add "v$tag$i" type veth peer name "b$tag$i"
  ip link set "v$tag$i" netns "$n"; ip link set "b$tag$i" netns "$(ns br)"
  ip -n "$n" link set "v$tag$i" name eth0
  ip -n "$n" addr add "${addr[$h]}/24" dev eth0
  ip -n "$n" link set eth0 up; ip -n "$n" link set lo up
  ip -n "$(ns br)" link set "b$tag$i" master br0; ip -n "$(ns br)" link set "b$tag$i" up
  i=$((i + 1))
done
echo "namespaces: $(ip netns list | grep -o "^$tag-[a-z0-9]*" | tr '\n' ' ')"

# --- keys and sshd per host ---------------------------------------------------------------------------------------
[ -d /run/sshd ] || { mkdir -p /run/sshd && chmod 755 /run/sshd && made_run_sshd=true; }
ssh-keygen -q -t ed25519 -N '' -C "lab-ansible-test-user" -f "$tmp/user_key"
cp "$tmp/user_key.pub" "$tmp/authorized_keys"
: > "$tmp/known_hosts"
for h in "${hosts[@]}"; do
  ssh-keygen -q -t ed25519 -N '' -C "lab-ansible-test-$h" -f "$tmp/host_key_$h"
  echo "${addr[$h]} $(cut -d' ' -f1,2 "$tmp/host_key_$h.pub")" >> "$tmp/known_hosts"
  cat > "$tmp/sshd_config_$h" <<CFG
ListenAddress ${addr[$h]}
Port 22
HostKey $tmp/host_key_$h
PidFile $tmp/sshd-$h.pid
AuthorizedKeysFile $tmp/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
UsePAM no
StrictModes no
MaxStartups 100
LogLevel ERROR
Subsystem sftp /usr/lib/openssh/sftp-server
CFG
  ip netns exec "$(ns "$h")" /usr/sbin/sshd -f "$tmp/sshd_config_$h" -E "$tmp/sshd-$h.log" || { echo "sshd failed on $h"; cat "$tmp/sshd-$h.log"; exit 1; }
  mkdir -p "$tmp/hosts/$h"
done
for _ in $(seq 50); do
  ok=0; for h in "${hosts[@]}"; do [ -s "$tmp/sshd-$h.pid" ] && ok=$((ok + 1)); done
  [ $ok = ${#hosts[@]} ] && break; sleep 0.1
done
echo "sshd: $(for h in "${hosts[@]}"; do printf '%s=%s ' "$h" "$(cat "$tmp/sshd-$h.pid" 2>/dev/null)"; done)"

# --- inventory: every host its own folders, the test's JVM, small heaps -------------------------------------------
cat > "$tmp/inventory.yml" <<INV
all:
  vars:
    ansible_user: root
    ansible_ssh_private_key_file: $tmp/user_key
    ansible_ssh_common_args: -o UserKnownHostsFile=$tmp/known_hosts -o StrictHostKeyChecking=yes -o ControlPath=$tmp/cp/%C
    ansible_remote_tmp: $tmp/remote-tmp
    ansible_python_interpreter: /usr/bin/python3
    lab_jar: $jar
    lab_java: $java
    lab_install_java: false
    lab_sysctl_apply: false
    lab_dir_tag: $tag
    lab_jvm_opts: [-Xms64m, -Xmx256m, -XX:+UseSerialGC, -XX:TieredStopAtLevel=1]
    lab_ready_timeout: 60
  children:
    node:
      hosts:
$(for h in n0 n1 n2; do printf '        %s: {ansible_host: %s, lab_home: %s, lab_run_root: %s}\n' "$h" "${addr[$h]}" "$tmp/hosts/$h/opt" "$tmp/hosts/$h/runs"; done)
    client:
      hosts:
        c0: {ansible_host: ${addr[c0]}, lab_home: $tmp/hosts/c0/opt, lab_run_root: $tmp/hosts/c0/runs}
INV
mkdir -p "$tmp/cp" "$tmp/ansible-home" "$tmp/ansible-tmp"
export ANSIBLE_CONFIG="$root/deploy/ansible/ansible.cfg" ANSIBLE_HOME="$tmp/ansible-home" \
  ANSIBLE_LOCAL_TEMP="$tmp/ansible-tmp" ANSIBLE_SSH_CONTROL_PATH_DIR="$tmp/cp" ANSIBLE_NOCOLOR=1 \
  ANSIBLE_DEPRECATION_WARNINGS=0 ANSIBLE_RETRY_FILES_ENABLED=0
play() { # name, playbook args...
  local name="$1"; shift
  local t=$(date +%s)
  ip netns exec "$(ns ctl)" timeout 400 ansible-playbook -i "$tmp/inventory.yml" "$@" > "$tmp/$name.out" 2>&1
  local rc=$?
  echo "--- $name: exit $rc in $(( $(date +%s) - t )) s"
  grep -E '^(PLAY RECAP|fatal|failed|ok:.*"msg"|.*: ok=)|"msg":|^\s+msg:|^\s+- results:' "$tmp/$name.out" | grep -v '^\s*$' | tail -15
  [ $rc = 0 ] || { echo "--- $name output (tail):"; tail -40 "$tmp/$name.out"; }
  return $rc
}
cd "$root/deploy/ansible"
status=0
play setup setup.yml || status=1
if [ $status = 0 ]; then
  play raft run.yml -e lab_protocol=raft -e lab_results_dir="$results/raft" \
    -e '{"lab_run_args": ["--duration", "3s", "--warmup", "2s", "--quiet", "--opt", "raft-election-timeout=1s"]}' || status=1
  play primary-backup-kill run.yml -e lab_protocol=primary-backup -e lab_profile=true -e lab_results_dir="$results/primary-backup-kill" \
    -e '{"lab_run_args": ["--duration", "5s", "--warmup", "1s", "--quiet", "--interval", "100ms", "--opt", "pb-primary-timeout=1500ms", "--opt", "pb-backup-timeout=1s", "--opt", "pb-lease-drift=100ms"]}' \
    -e '{"lab_fault_kill": {"node": "primary", "at": 3, "restart_after": 1}}' || status=1
fi
# teardown on its own must find nothing left to stop (and be harmless)
play teardown teardown.yml || status=1
cd "$root"

for d in "$results"/*/; do [ -d "$d" ] || continue; echo "results ${d%/}:"; (cd "$d" && find . -type f | sort | sed 's/^/  /'); done
for r in raft primary-backup-kill; do
  [ -f "$results/$r/lab-run.txt" ] && { echo "$r run (lab-run.txt):"; grep -E '^(op|write|read|total|unavail|fault|  )' "$results/$r/lab-run.txt" | sed 's/^/  /' | head -12; }
done
[ -f "$results/primary-backup-kill/faults.json" ] && { echo "faults.json:"; sed 's/^/  /' "$results/primary-backup-kill/faults.json"; }

# --- clean-up, then check that nothing is left ----------------------------------------------------------------------
sshd_pids="$(cat "$tmp"/sshd-*.pid 2>/dev/null | tr '\n' ' ')"
trap - EXIT
cleanup
left=""
alive() { [ -e "/proc/$1" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }
for p in $sshd_pids; do for _ in $(seq 30); do alive "$p" || break; sleep 0.1; done; alive "$p" && left="$left sshd:$p"; done
pgrep -f -- "$tmp/" > /dev/null && left="$left processes:$(pgrep -f -- "$tmp/" | tr '\n' ',')"
ip netns list | grep -q "^$tag-" && left="$left namespaces:$(ip netns list | grep "^$tag-" | tr '\n' ',')"
ls -d /dev/shm/lab-aeron-mp-"$tag"-* > /dev/null 2>&1 && left="$left shm:$(ls -d /dev/shm/lab-aeron-mp-"$tag"-*)"
[ -e "$tmp" ] && left="$left tmp:$tmp"
if [ -n "$left" ]; then echo "LEFT OVER:$left"; status=1; else echo "clean-up: no process, sshd, namespace, key or /dev/shm/lab-aeron-mp-$tag-* left"; fi
echo "results kept in $results"
exit $status
