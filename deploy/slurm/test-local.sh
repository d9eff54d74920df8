#!/usr/bin/env bash
# Runs a nines job array on a real Slurm, on this one machine, and checks the merged report
# byte for byte against one process's `nines simulate --format json` of the same run.
#
#   deploy/slurm/test-local.sh [--nines PATH]
#
# As root on Debian (no systemd needed): installs slurm-wlm and munge when they are missing,
# then, all under a new temporary directory, makes a munge key, starts munged, writes a
# slurm.conf for this host alone (ports that are free, proctrack/linuxproc, task/none, no
# cgroups, no accounting; the node's CPUs and memory as slurmd sees them) and starts
# slurmctld and slurmd in the foreground, in the background of this script. It waits for
# the node to be idle, submits the job array and its merge with submit.sh, waits for
# them, and compares. It stops the daemons it started and removes the directory on every
# exit, failure and timeout included, and prints the daemons' and jobs' logs on failure.
# The whole test runs under a time limit it cannot exceed (NINES_SLURM_TEST_LIMIT seconds,
# 600 by default, and 60 s more at most for the cleanup), which counts building nines when
# no --nines binary is given.
#
# Settings (environment): NINES_SLURM_TEST_SCENARIO (default scenarios/ehr.toml),
# NINES_SLURM_TEST_SHARDS (4), NINES_SLURM_TEST_REPLICATIONS (20000), NINES_SLURM_TEST_SEED (7);
# NINES_SLURM_TEST_KEEP=1 keeps the temporary directory (configuration, logs, shards).
set -euo pipefail

limit=${NINES_SLURM_TEST_LIMIT:-600}
if [[ -z ${NINES_SLURM_TEST_TIMED:-} ]]; then
  # timeout signals this script's process group (the script and whatever it waits for) and
  # kills it 60 s later if the cleanup hangs (the cleanup takes 35 s at most). The daemons
  # run in sessions of their own, so that they are still there for the cleanup to cancel
  # the jobs; then the cleanup stops them.
  export NINES_SLURM_TEST_TIMED=1
  exec timeout --kill-after=60 "$limit" bash "$0" "$@"
fi

repo=$(cd "$(dirname "$0")/../.." && pwd)
scenario=${NINES_SLURM_TEST_SCENARIO:-$repo/scenarios/ehr.toml}
shards=${NINES_SLURM_TEST_SHARDS:-4}
replications=${NINES_SLURM_TEST_REPLICATIONS:-20000}
seed=${NINES_SLURM_TEST_SEED:-7}

nines=
while (($#)); do
  case $1 in
    --nines)
      (($# >= 2)) || { echo "test-local.sh: --nines needs the path of a nines binary" >&2; exit 2; }
      nines=$2
      shift 2
      ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "test-local.sh: unknown argument '$1' (the only option is --nines PATH)" >&2; exit 2 ;;
  esac
done

say() { echo "== slurm test: $*"; }
fail() {
  echo "== slurm test FAILED: $*" >&2
  exit 1
}

[[ $(id -u) == 0 ]] || fail "run it as root: it installs packages and starts slurmd, which runs jobs as their users"

# --- Slurm and munge from Debian's packages, when missing -----------------------------------
missing=()
for tool in munged mungekey slurmctld slurmd sbatch; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  say "installing slurm-wlm and munge (missing: ${missing[*]})"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi
command -v python3 >/dev/null || fail "python3 is needed to find free ports"

# --- nines ---------------------------------------------------------------------------------
if [[ -z $nines ]]; then
  say "building nines (cargo build --release)"
  (cd "$repo" && cargo build --release --quiet)
  target=$(cd "$repo" && cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
  nines=$target/release/nines
fi
[[ -x $nines ]] || fail "--nines $nines: not an executable file"
nines=$(realpath "$nines")

# --- the cluster, under a temporary directory ----------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/nines-slurm-test.XXXXXX")
chmod 755 "$work"
mkdir -p "$work"/{munge,log,state,spool,run}
pids=()
jobs_submitted=()

show_logs() {
  for log in "$work"/log/*.log "$work"/run/logs/*.log; do
    [[ -f $log ]] || continue
    echo "---- $log (last 60 lines)" >&2
    tail -n 60 "$log" >&2
  done
}

cleanup() {
  local code=$?
  trap - EXIT INT TERM
  if ((code != 0)); then
    show_logs
  fi
  # The jobs first, while slurmctld and slurmd still run to end them.
  if ((${#jobs_submitted[@]})); then
    timeout 5 scancel "${jobs_submitted[@]}" 2>/dev/null || true
    local deadline=$((SECONDS + 10))
    while [[ -n $(timeout 5 squeue -h -o %i 2>/dev/null) ]] && ((SECONDS < deadline)); do
      sleep 0.2
    done
  fi
  # Then the daemons, in reverse order of start: slurmd, slurmctld, munged.
  local index pid
  for ((index = ${#pids[@]} - 1; index >= 0; index--)); do
    kill -TERM "${pids[index]}" 2>/dev/null || true
  done
  local deadline=$((SECONDS + 10))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  # A job step whose slurmd is gone never ends: stop any left of this cluster (each holds
  # a file under the temporary directory: its spool socket or its job's log).
  local fd
  for fd in /proc/[0-9]*/fd/*; do
    [[ $(readlink "$fd" 2>/dev/null) == "$work"/* ]] || continue
    pid=${fd#/proc/}
    pid=${pid%%/*}
    if [[ $(cat "/proc/$pid/comm" 2>/dev/null) == slurmstepd ]]; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  if [[ -n ${NINES_SLURM_TEST_KEEP:-} ]]; then
    echo "== slurm test: kept $work" >&2
  else
    rm -rf "$work"
  fi
  if ((code == 0)); then
    say "passed; the daemons are stopped"
  else
    echo "== slurm test: failed (exit $code); the daemons are stopped" >&2
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'echo "== slurm test: stopped (time limit of ${limit} s, or a signal)" >&2; exit 124' TERM

# Waits up to $1 seconds for the command after it to succeed.
wait_for() {
  local seconds=$1
  shift
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

say "working in $work"
if command -v mungekey >/dev/null; then
  mungekey --create --keyfile="$work/munge/munge.key"
else
  dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
fi
chmod 400 "$work/munge/munge.key"
socket=$work/munge/munge.socket
setsid munged --foreground --force --key-file="$work/munge/munge.key" --socket="$socket" \
  --pid-file="$work/munge/munged.pid" --seed-file="$work/munge/munged.seed" \
  --log-file="$work/log/munged.log" >>"$work/log/munged.log" 2>&1 &
pids+=($!)
wait_for 10 test -S "$socket" || fail "munged did not start"
munge --socket="$socket" --no-input | unmunge --socket="$socket" >/dev/null || fail "munge cannot encode and decode a credential"

read -r controller_port node_port < <(python3 -c '
import socket
sockets = [socket.socket() for _ in range(2)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in sockets))')
host=$(hostname -s)
# "NodeName=host CPUs=2 Boards=1 SocketsPerBoard=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=..."
node=$(slurmd -C | grep -m1 '^NodeName=') || fail "slurmd -C did not describe this node"
node=${node//$'\r'/}
export SLURM_CONF=$work/slurm.conf
cat >"$SLURM_CONF" <<CONF
ClusterName=nines-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$controller_port
SlurmdPort=$node_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/run/slurmctld.pid
SlurmdPidFile=$work/run/slurmd.pid
MailProg=/bin/true
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=600
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
node_name=${node%% *}
node_name=${node_name#NodeName=}

say "starting slurmctld (port $controller_port) and slurmd (port $node_port)"
setsid slurmctld -D -i -f "$SLURM_CONF" >>"$work/log/slurmctld.log" 2>&1 &
pids+=($!)
wait_for 30 scontrol ping >/dev/null 2>&1 || fail "slurmctld does not answer"
setsid slurmd -D -f "$SLURM_CONF" -N "$node_name" >>"$work/log/slurmd.log" 2>&1 &
pids+=($!)
node_idle() { [[ $(sinfo -h -n "$node_name" -o %t 2>/dev/null) == idle ]]; }
wait_for 60 node_idle || fail "the node is not idle: $(scontrol show node "$node_name" 2>&1)"
say "node $node_name idle: $(sinfo -h -N -o '%N %c CPUs, %m MB, %T')"

# --- the run -------------------------------------------------------------------------------
say "submitting $shards shards of $(basename "$scenario") (-n $replications --seed $seed)"
submitted=$(bash "$repo/deploy/slurm/submit.sh" --scenario "$scenario" --shards "$shards" \
  --dir "$work/run" -n "$replications" --seed "$seed" --nines "$nines" --format json)
echo "$submitted"
array=$(sed -n 's/^array job \([0-9]*\):.*/\1/p' <<<"$submitted")
merge=$(sed -n 's/^merge job \([0-9]*\):.*/\1/p' <<<"$submitted")
[[ -n $array && -n $merge ]] || fail "submit.sh printed no job ids"
jobs_submitted=("$array" "$merge")

# The states of a job (one per array task), e.g. "COMPLETED COMPLETED".
states() { scontrol -o show job "$1" | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 | paste -sd ' '; }
finished() {
  local state
  state=$(states "$1") || return 1
  [[ -n $state && $state != *PENDING* && $state != *RUNNING* && $state != *CONFIGURING* && $state != *COMPLETING* ]]
}
completed() {
  local state
  for state in $(states "$1"); do
    [[ $state == COMPLETED ]] || return 1
  done
}
wait_for "$limit" finished "$merge" || fail "the jobs did not finish"
say "shards: $(states "$array"); merge: $(states "$merge")"
if ! completed "$array" || ! completed "$merge"; then
  fail "a job did not complete"
fi

# --- the check -----------------------------------------------------------------------------
say "one process: nines simulate $(basename "$scenario") --format json -n $replications --seed $seed"
"$nines" simulate "$scenario" --format json -n "$replications" --seed "$seed" --quiet >"$work/single.json"
same() {
  cmp "$1" "$work/single.json" && return
  diff <(head -c 4000 "$work/single.json") <(head -c 4000 "$1") >&2 || true
  fail "$2 differs from the single-process run"
}
same "$work/run/report.json" "the merge job's report"
say "the merged report is byte-identical to the single-process run ($(wc -c <"$work/single.json") bytes)"

# --- one shard again, and the merge by hand, as README.md says -----------------------------
say "shard 1 again, alone, from job.env, and nines merge by hand"
rm "$work/run/shard-1.json"
again=$(
  # shellcheck source=/dev/null
  . "$work/run/job.env"
  sbatch --parsable --array=1 --output="$NINES_DIR/logs/shard-%a-again.log" "$repo/deploy/slurm/nines-array.sbatch"
)
again=${again%%;*}
jobs_submitted+=("$again")
wait_for "$limit" finished "$again" || fail "shard 1 did not finish again"
completed "$again" || fail "shard 1 failed again: $(states "$again")"
"$nines" merge "$work"/run/shard-*.json --format json >"$work/merged-by-hand.json"
same "$work/merged-by-hand.json" "the merge by hand"
say "the merge by hand is byte-identical too"
