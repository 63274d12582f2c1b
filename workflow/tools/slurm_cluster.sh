#!/usr/bin/env bash
# A single-node SLURM cluster on this Debian machine, for testing the workflow's slurm profile for real.
#
#   workflow/tools/slurm_cluster.sh up   [DIR]             start it (or find it running); prints `export SLURM_CONF=...`
#   workflow/tools/slurm_cluster.sh down [DIR]             stop it by its PID files
#   workflow/tools/slurm_cluster.sh run  [DIR] -- CMD...   start it, run CMD against it, stop it whatever CMD does
#
# DIR (default /tmp/ffnn-slurm) holds everything: munge key and socket, slurm.conf, state, logs and PID
# files. The one thing outside it is a link /etc/slurm/slurm.conf -> DIR/slurm.conf while the cluster
# runs (made only where no slurm.conf is there, removed by `down`): Snakemake's job step runs `srun`
# inside each job with every SLURM_* variable but a few removed, SLURM_CONF among them, so the
# config must also be where SLURM looks without it. Needs root and apt-get (Debian's slurmctld, slurmd, slurm-client
# and munge are installed where missing). No accounting (slurmdbd): `sacct` fails here, which is what the
# profile's `slurm-status-command: squeue` is for, and MinJobAge keeps finished jobs in squeue long enough.
set -euo pipefail

DEFAULT_DIR=/tmp/ffnn-slurm
PACKAGES=(slurmctld slurmd slurm-client munge)
NODE=ffnn-node
PARTITION=main
# The slurm profile polls first after this many seconds; squeue must still show a job that long after it
# ended, times three (snakemake-executor-plugin-slurm's own rule for trusting squeue).
MIN_JOB_AGE=600
READY_SECONDS=60
SYSTEM_CONF=/etc/slurm/slurm.conf

die() { echo "slurm_cluster: $*" >&2; exit 1; }

usage() { sed -n '3,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

need_root_and_packages() {
  local missing=()
  for command in slurmctld slurmd srun squeue munged; do
    command -v "$command" >/dev/null 2>&1 || missing+=("$command")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  [[ $(id -u) -eq 0 ]] || die "needs root to install ${PACKAGES[*]} (missing: ${missing[*]})"
  command -v apt-get >/dev/null 2>&1 || die "needs apt-get to install ${PACKAGES[*]} (missing: ${missing[*]}); not a Debian machine?"
  echo "slurm_cluster: installing ${PACKAGES[*]}" >&2
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${PACKAGES[@]}" >/dev/null \
    || die "apt-get could not install ${PACKAGES[*]}"
}

alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port_from() {
  local port=$1
  while ! port_free "$port"; do
    port=$((port + 1))
    (( port < $1 + 100 )) || die "no free port in $1..$((port - 1))"
  done
  echo "$port"
}

write_config() {
  local dir=$1 controller_port=$2 node_port=$3 hardware
  # what slurmd itself detects, so the node's CPUs and memory are never more than it finds
  hardware=$(slurmd -C | head -n 1 | sed 's/^NodeName=[^ ]* //; s/ UpTime=.*//')
  cat >"$dir/slurm.conf" <<EOF
ClusterName=ffnn
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$controller_port
SlurmdPort=$node_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
MinJobAge=$MIN_JOB_AGE
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
NodeName=$NODE NodeAddr=127.0.0.1 $hardware State=UNKNOWN
PartitionName=$PARTITION Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
}

up() {
  local dir=$1
  export SLURM_CONF=$dir/slurm.conf
  if alive "$dir/slurmctld.pid" && alive "$dir/slurmd.pid" && alive "$dir/munge/munged.pid"; then
    echo "slurm_cluster: already running in $dir" >&2
    echo "export SLURM_CONF=$SLURM_CONF"
    return 0
  fi
  need_root_and_packages
  down "$dir" >/dev/null 2>&1 || true
  mkdir -p "$dir"/{state,spool,munge}
  chmod 700 "$dir/munge"
  [[ -f $dir/munge/munge.key ]] || { dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none; chmod 400 "$dir/munge/munge.key"; }
  munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed" \
    || die "munged did not start; see $dir/munge/munged.log"
  write_config "$dir" "$(free_port_from 6817)" "$(free_port_from 6918)"
  if [[ -e $SYSTEM_CONF || -L $SYSTEM_CONF ]] && [[ $(readlink "$SYSTEM_CONF" || true) != "$dir/slurm.conf" ]]; then
    die "$SYSTEM_CONF exists and is not this cluster's: this machine has a SLURM of its own; use that"
  fi
  mkdir -p "$(dirname "$SYSTEM_CONF")"
  ln -sfn "$dir/slurm.conf" "$SYSTEM_CONF"
  slurmctld -f "$SLURM_CONF" -i || die "slurmctld did not start; see $dir/slurmctld.log"
  slurmd -f "$SLURM_CONF" -N "$NODE" || die "slurmd did not start; see $dir/slurmd.log"
  local waited=0
  until timeout 20 srun --quiet --nodes=1 --time=1 true 2>/dev/null; do
    (( waited += 2 ))
    (( waited < READY_SECONDS )) || die "the cluster did not run a job within ${READY_SECONDS} s; see $dir/slurmctld.log and $dir/slurmd.log"
    scontrol update nodename="$NODE" state=resume >/dev/null 2>&1 || true
    sleep 2
  done
  echo "slurm_cluster: up in $dir ($(sinfo --noheader --format='%D node, %c CPUs, %m MB' | head -n 1))" >&2
  echo "export SLURM_CONF=$SLURM_CONF"
}

down() {
  local dir=$1 pid_file
  for pid_file in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    if alive "$pid_file"; then
      kill "$(cat "$pid_file")" 2>/dev/null || true
      for _ in $(seq 50); do alive "$pid_file" || break; sleep 0.1; done
      alive "$pid_file" && kill -9 "$(cat "$pid_file")" 2>/dev/null || true
    fi
    rm -f "$pid_file"
  done
  [[ $(readlink "$SYSTEM_CONF" 2>/dev/null || true) == "$dir/slurm.conf" ]] && rm -f "$SYSTEM_CONF"
  echo "slurm_cluster: down ($dir)" >&2
}

command=${1:-}
[[ -n $command ]] || usage
shift
dir=$DEFAULT_DIR
if [[ $# -gt 0 && $1 != -- ]]; then dir=$1; shift; fi
case $command in
  up) up "$dir" ;;
  down) down "$dir" ;;
  run)
    [[ ${1:-} == -- ]] || usage
    shift
    [[ $# -gt 0 ]] || usage
    trap 'down "$dir"' EXIT
    eval "$(up "$dir")"
    "$@"
    ;;
  *) usage ;;
esac
