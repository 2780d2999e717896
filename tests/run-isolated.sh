#!/usr/bin/env bash
# Runs every test class (or, with --methods, every test method) of a test project in a process of its own, and
# reports the ones that fail alone: a test that passes in the full run but not alone relies on another test having
# run first (a cache warmed, a file written, a static set). Not part of CI (it starts one process per class).
#
#   tests/run-isolated.sh                         # each class of tests/SplitBrain.Tests alone
#   tests/run-isolated.sh --methods               # each test method alone (slower: one process per method)
#   tests/run-isolated.sh --project tests/SplitBrain.Notebooks.Tests --filter ProgramTests
#   tests/run-isolated.sh --seed 42               # the order inside each process (xUnit v3's randomisation seed)
#
# Exits 1 if anything failed alone, and prints how to rerun each failure. xUnit v3 test projects are programs, so
# each class runs through the project's own in-process runner (`dotnet <tests>.dll -class X`), without dotnet test's
# start-up cost.
set -uo pipefail
cd "$(dirname "$0")/.."

project=tests/SplitBrain.Tests
unit=class
filter=""
seed=""
while [ $# -gt 0 ]; do
  case "$1" in
    --methods) unit=method ;;
    --project) project=${2:?--project needs a folder}; shift ;;
    --filter) filter=${2:?--filter needs a text}; shift ;;
    --seed) seed=${2:?--seed needs a number}; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run-isolated: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

name=$(basename "$project")
[ -f "$project/$name.csproj" ] || { echo "run-isolated: no $project/$name.csproj; give --project a test project folder" >&2; exit 2; }
dotnet build "$project" -c Debug -v quiet -nologo >/dev/null || { echo "run-isolated: the build of $project failed; run 'dotnet build $project' to see why" >&2; exit 2; }
dll="$project/bin/Debug/net10.0/$name.dll"
[ -f "$dll" ] || { echo "run-isolated: the build made no $dll" >&2; exit 2; }

if [ "$unit" = class ]; then list=classes; option=-class; else list=methods; option=-method; fi
units_name=$list
mapfile -t units < <(dotnet "$dll" -list "$list" -noLogo 2>/dev/null | grep -F -- "$filter" | sort)
[ ${#units[@]} -gt 0 ] || { echo "run-isolated: no test ${unit} matches '$filter'" >&2; exit 2; }

log=$(mktemp -d)
failed=()
start=$(date +%s)
echo "run-isolated: ${#units[@]} ${units_name} of $name, each in its own process${seed:+, seed $seed}"
for u in "${units[@]}"; do
  out="$log/$(echo "$u" | tr -c 'A-Za-z0-9._-' _).log"
  t0=$(date +%s)
  dotnet "$dll" ${seed:+":$seed"} "$option" "$u" -noColor -noLogo >"$out" 2>&1
  rc=$?
  summary=$(grep -E 'Total: [0-9]+' "$out" | tail -n 1 | sed -E 's/^ *//')
  if [ $rc -ne 0 ]; then
    failed+=("$u")
    echo "FAIL alone  $u  ($(( $(date +%s) - t0 ))s) $summary"
    grep -E '\[FAIL\]' "$out" | sed 's/^/    /' | head -n 5
  else
    echo "ok          $u  ($(( $(date +%s) - t0 ))s)"
  fi
done

secs=$(( $(date +%s) - start ))
echo
if [ ${#failed[@]} -eq 0 ]; then
  echo "run-isolated: ${#units[@]} ${units_name}, 0 failed alone, in ${secs}s"
  rm -rf "$log"
  exit 0
fi
echo "run-isolated: ${#units[@]} ${units_name}, ${#failed[@]} failed alone, in ${secs}s (logs in $log). Rerun one with:"
for u in "${failed[@]}"; do echo "  dotnet $dll $option '$u'"; done
exit 1
