#!/usr/bin/env bash
# Runs the containers of nines-indexed-job.yaml on this machine, as Kubernetes would, and
# checks that the merge prints, byte for byte, what one `nines simulate --format json` of
# the same run prints.
#
#   deploy/kubernetes/test-local.sh [--nines PATH]
#
# No cluster is needed: the manifest itself is read (never a copy of its commands). It is
# first validated against the Kubernetes API schemas (1.25 and 1.37, strict). Then:
# the Indexed Job's container command runs once for each completion index 0..N-1 with
# JOB_COMPLETION_INDEX set, and the merge Job's command once after them, each in its own
# directory laid out as the container's (its working directory, with the volumes mounted
# as directories beneath it: the ConfigMap holding a shipped scenario, the claim shared by
# both Jobs), with `nines` on the PATH as in the image, and with `$(VAR)` in the command
# expanded from the container's environment as the kubelet does. The merge's output and
# its --out report.json are compared with the single-process run (same -n and --seed as
# the shard command's). Everything lives in a temporary directory, removed on exit.
#
# Settings (environment): NINES_K8S_TEST_SCENARIO (default scenarios/db-failover-backups.toml,
# stored as the ConfigMap's scenario.toml). Python 3 with PyYAML and kubernetes-validate
# (installed from PyPI when missing).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
manifest=$repo/deploy/kubernetes/nines-indexed-job.yaml
scenario=${NINES_K8S_TEST_SCENARIO:-$repo/scenarios/db-failover-backups.toml}

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

if ! python3 -c 'import yaml, kubernetes_validate' 2>/dev/null; then
  echo "== kubernetes test: installing PyYAML and kubernetes-validate"
  python3 -m pip install --quiet --disable-pip-version-check "pyyaml>=6" "kubernetes-validate>=1.30"
fi

if [[ -z $nines ]]; then
  echo "== kubernetes test: building nines (cargo build --release)"
  (cd "$repo" && cargo build --release --quiet)
  target=$(cd "$repo" && cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
  nines=$target/release/nines
fi
[[ -x $nines ]] || { echo "test-local.sh: --nines $nines: not an executable file" >&2; exit 2; }
nines=$(realpath "$nines")

for version in 1.25.0 1.37.0; do
  python3 -m kubernetes_validate --strict --quiet -k "$version" "$manifest"
done
echo "== kubernetes test: $(basename "$manifest") is valid for Kubernetes 1.25 and 1.37 (strict)"

work=$(mktemp -d "${TMPDIR:-/tmp}/nines-k8s-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

python3 - "$manifest" "$nines" "$(realpath "$scenario")" "$work" <<'PY'
import os
import re
import shutil
import subprocess
import sys

import yaml

manifest, nines, scenario, work = sys.argv[1:]


def fail(message):
    print(f"== kubernetes test FAILED: {message}", file=sys.stderr)
    sys.exit(1)


with open(manifest) as f:
    documents = [d for d in yaml.safe_load_all(f) if d]
jobs = [d for d in documents if d["kind"] == "Job"]
indexed = [j for j in jobs if j["spec"].get("completionMode") == "Indexed"]
others = [j for j in jobs if j["spec"].get("completionMode") != "Indexed"]
if len(indexed) != 1 or len(others) != 1:
    fail(f"{manifest}: expected one Indexed Job and one merge Job, found {len(indexed)} and {len(others)}")
shards, merge = indexed[0], others[0]


def component(document):
    return document["metadata"].get("labels", {}).get("app.kubernetes.io/component")


# README.md applies the file in two steps, selected by this label.
first = sorted(f"{d['kind']}/{d['metadata']['name']}" for d in documents if component(d) == "shards")
second = sorted(f"{d['kind']}/{d['metadata']['name']}" for d in documents if component(d) == "merge")
claims_used = sorted(f"PersistentVolumeClaim/{v['persistentVolumeClaim']['claimName']}"
                     for v in shards["spec"]["template"]["spec"].get("volumes", []) if "persistentVolumeClaim" in v)
if first != sorted([f"Job/{shards['metadata']['name']}"] + claims_used) or second != [f"Job/{merge['metadata']['name']}"]:
    fail(f"the label app.kubernetes.io/component selects {first} as shards and {second} as merge: "
         "the first step must be the Indexed Job and its claim, the second the merge Job")

n = shards["spec"]["completions"]
if shards["spec"].get("parallelism") != n:
    fail(f"the Indexed Job's parallelism is {shards['spec'].get('parallelism')}, its completions {n}: make them equal")


def container(job):
    containers = job["spec"]["template"]["spec"]["containers"]
    if len(containers) != 1:
        fail(f"Job {job['metadata']['name']}: expected one container, found {len(containers)}")
    return containers[0]


shard_command = container(shards).get("command", []) + container(shards).get("args", [])


def option(command, name):
    """The value after `name` in the command, or None."""
    return command[command.index(name) + 1] if name in command else None


if option(shard_command, "--of") != str(n):
    fail(f"the shard command says --of {option(shard_command, '--of')} but the Job has {n} completions")

# The image: nines on the PATH.
bin_dir = os.path.join(work, "bin")
os.makedirs(bin_dir)
os.symlink(nines, os.path.join(bin_dir, "nines"))
claims = os.path.join(work, "claims")


def pod_directory(job):
    """A directory laid out as the container sees its working directory: each volume
    mounted beneath it, as a directory of this machine. Returns the working directory."""
    spec = job["spec"]["template"]["spec"]
    c = container(job)
    working = c.get("workingDir")
    if not working:
        fail(f"Job {job['metadata']['name']}: the test needs a workingDir with the volumes mounted beneath it")
    root = os.path.join(work, "pods", job["metadata"]["name"])
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    for mount in c.get("volumeMounts", []):
        path = mount["mountPath"]
        if os.path.commonpath([path, working]) != working:
            fail(f"Job {job['metadata']['name']}: mount {path} is not under workingDir {working}")
        volume = volumes[mount["name"]]
        if "persistentVolumeClaim" in volume:
            source = os.path.join(claims, volume["persistentVolumeClaim"]["claimName"])
            os.makedirs(source, exist_ok=True)
        elif "configMap" in volume:
            # The ConfigMap made as README.md says, from a shipped scenario.
            source = os.path.join(work, "configmaps", volume["configMap"]["name"])
            os.makedirs(source, exist_ok=True)
            for item in volume["configMap"].get("items", [{"key": "scenario.toml", "path": "scenario.toml"}]):
                if item["key"] != "scenario.toml":
                    fail(f"ConfigMap {volume['configMap']['name']}: the test provides scenario.toml only, not {item['key']}")
                shutil.copyfile(scenario, os.path.join(source, item["path"]))
        else:
            fail(f"volume {mount['name']}: the test knows claims and ConfigMaps only")
        target = root + path
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.symlink(source, target)
    os.makedirs(root + working, exist_ok=True)
    return root + working


def environment(job, index):
    """The container's environment, as Kubernetes sets it."""
    env = {"PATH": bin_dir + os.pathsep + os.environ["PATH"]}
    for name in ("NINES_REAL", "TMPDIR"):  # passed through for stand-ins of nines
        if name in os.environ:
            env[name] = os.environ[name]
    if index is not None:
        env["JOB_COMPLETION_INDEX"] = str(index)
    for variable in container(job).get("env", []):
        if "value" in variable:
            env[variable["name"]] = variable["value"]
        elif variable.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == \
                "metadata.annotations['batch.kubernetes.io/job-completion-index']" and index is not None:
            env[variable["name"]] = str(index)
        else:
            fail(f"Job {job['metadata']['name']}: the test cannot set env {variable['name']}")
    return env


def expand(text, env):
    """$(VAR) as the kubelet expands it in command and args: a defined variable is
    replaced, an undefined one is left as it is, and $$ stands for $."""
    return re.sub(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)",
                  lambda m: "$" if m.group(0) == "$$" else env.get(m.group(1), m.group(0)), text)


def run(job, index=None):
    c = container(job)
    env = environment(job, index)
    command = [expand(word, env) for word in c.get("command", []) + c.get("args", [])]
    where = directories[job["metadata"]["name"]]
    label = f"{job['metadata']['name']}" + ("" if index is None else f" index {index}")
    print(f"== kubernetes test: {label}: {' '.join(command)}", flush=True)
    result = subprocess.run(command, cwd=where, env=env, stdout=subprocess.PIPE)
    if result.returncode != 0:
        fail(f"{label} exited with {result.returncode}")
    return result.stdout


directories = {job["metadata"]["name"]: pod_directory(job) for job in (shards, merge)}
for index in range(n):
    run(shards, index)
merged = run(merge)

reference = [nines, "simulate", scenario, "--format", "json", "--quiet"]
for name in ("-n", "--seed"):
    if option(shard_command, name) is not None:
        reference += [name, option(shard_command, name)]
print(f"== kubernetes test: one process: {' '.join(reference)}", flush=True)
single = subprocess.run(reference, stdout=subprocess.PIPE, check=True).stdout
if merged != single:
    fail(f"the merge printed {len(merged)} bytes that differ from the single-process run's {len(single)}")
print(f"== kubernetes test: the merge printed the single-process report, byte for byte ({len(single)} bytes)")

merge_command = container(merge).get("command", []) + container(merge).get("args", [])
out = re.search(r"--out\s+(\S+)", " ".join(merge_command))
if out:
    written = os.path.join(directories[merge["metadata"]["name"]], out.group(1), "report.json")
    with open(written, "rb") as f:
        if f.read() != single:
            fail("the merge's --out report.json differs from the single-process run")
    print(f"== kubernetes test: and so is its --out {out.group(1)}/report.json")
PY
echo "== kubernetes test: passed"
