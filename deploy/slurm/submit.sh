#!/usr/bin/env bash
# Submits a nines run to Slurm as a job array of shards (nines-array.sbatch) and a merge
# job (nines-merge.sbatch) that runs once every shard has succeeded. See README.md.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: submit.sh --scenario FILE --shards N --dir DIR [options] [-- SBATCH_OPTION...]

  --scenario FILE      the scenario file (a path every node can read)
  --shards N           how many shards: the job array runs tasks 0..N-1
  --dir DIR            where the shards, the logs and the report go (on a file system every
                       node shares); it must not hold the shards of an earlier run
  -n, --replications R replications of the whole run (default: the scenario's)
  --seed S             the seed (default: the scenario's)
  --threads T          threads per shard (default: the CPUs Slurm gives each task, 1 unless
                       --cpus-per-task is passed to sbatch)
  --nines PATH         the nines binary (default: nines on the PATH here); every node must
                       find it at this path
  --format F           the report's format: table, json, csv or markdown (default: json)
  --out DIR            the merge also writes every format, the charts and report.html here
  -- SBATCH_OPTION...  passed to both sbatch calls (e.g. --partition=batch --time=1:00:00)

Prints the two job ids; the report is DIR/report.FORMAT once the merge job has run.
USAGE
}

fail() {
  echo "submit.sh: $*" >&2
  exit 2
}

scenario='' shards='' dir='' replications='' seed='' threads='' nines='' format=json out=''
sbatch_options=()
while (($#)); do
  case $1 in
    --scenario | --shards | --dir | -n | --replications | --seed | --threads | --nines | --format | --out)
      (($# >= 2)) || fail "$1 needs a value (see --help)"
      case $1 in
        --scenario) scenario=$2 ;;
        --shards) shards=$2 ;;
        --dir) dir=$2 ;;
        -n | --replications) replications=$2 ;;
        --seed) seed=$2 ;;
        --threads) threads=$2 ;;
        --nines) nines=$2 ;;
        --format) format=$2 ;;
        --out) out=$2 ;;
      esac
      shift 2
      ;;
    -h | --help) usage; exit 0 ;;
    --) shift; sbatch_options=("$@"); break ;;
    *) fail "unknown argument '$1' (see --help; sbatch options go after --)" ;;
  esac
done

[[ -n $scenario ]] || fail "--scenario FILE is required (e.g. --scenario scenarios/ehr.toml)"
[[ -n $shards ]] || fail "--shards N is required (e.g. --shards 16)"
[[ -n $dir ]] || fail "--dir DIR is required (a new directory on a shared file system)"
[[ -r $scenario ]] || fail "--scenario $scenario: no such readable file"
[[ $shards =~ ^[1-9][0-9]*$ ]] || fail "--shards $shards: give a whole number of at least 1"
case $format in
  table) extension=txt ;;
  json | csv) extension=$format ;;
  markdown) extension=md ;;
  *) fail "--format $format: use table, json, csv or markdown" ;;
esac
if [[ -z $nines ]]; then
  nines=$(command -v nines) || fail "no nines on the PATH: build it (cargo build --release) and pass --nines PATH"
fi
[[ -x $nines ]] || fail "--nines $nines: not an executable file"

# Absolute paths: the jobs run on other nodes, maybe in another directory.
scenario=$(realpath "$scenario")
nines=$(realpath "$nines")
dir=$(realpath -m "$dir")
[[ -z $out ]] || out=$(realpath -m "$out")
if compgen -G "$dir/shard-*.json" >/dev/null; then
  fail "--dir $dir holds the shards of an earlier run: remove them or choose another directory"
fi
mkdir -p "$dir/logs"

here=$(dirname "$(realpath "$0")")
export NINES=$nines NINES_SCENARIO=$scenario NINES_DIR=$dir NINES_SHARDS=$shards \
  NINES_REPLICATIONS=$replications NINES_SEED=$seed NINES_THREADS=$threads \
  NINES_FORMAT=$format NINES_OUT=$out

# The settings, to submit a shard again or the merge by hand (see README.md).
printf 'export %s=%q\n' NINES "$nines" NINES_SCENARIO "$scenario" NINES_DIR "$dir" \
  NINES_SHARDS "$shards" NINES_REPLICATIONS "$replications" NINES_SEED "$seed" \
  NINES_THREADS "$threads" NINES_FORMAT "$format" NINES_OUT "$out" >"$dir/job.env.partial"
mv "$dir/job.env.partial" "$dir/job.env"

# --parsable prints "id" or "id;cluster".
array=$(sbatch --parsable --export=ALL --array="0-$((shards - 1))" \
  --output="$dir/logs/shard-%a.log" "${sbatch_options[@]}" "$here/nines-array.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --export=ALL --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --output="$dir/logs/merge.log" "${sbatch_options[@]}" "$here/nines-merge.sbatch")
merge=${merge%%;*}

echo "array job $array: $shards shards into $dir (logs in $dir/logs)"
echo "merge job $merge: the report in $dir/report.$extension once every shard has succeeded"
