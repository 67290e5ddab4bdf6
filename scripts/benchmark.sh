#!/usr/bin/env bash
# benchmark.sh - measure vpcreach on synthetic estates of size S, M and L.
#
# Usage: scripts/benchmark.sh [-s "S M L"] [-r RUNS] [-t TIMEOUT] [-o RESULTS.md]
#
# For each size it generates (once, cached under .build-bench/estates/) a deterministic estate with
# scripts/synth-estate.py, builds vpcreach in release mode, and measures, alternating runs:
#   * the parse floor: Python's C JSON parser reading every file of the snapshot one after another,
#     dropping each (the issue's reference command);
#   * load: `vpcreach inventory` (parse + model), wall time and peak RSS (/usr/bin/time);
#   * one path query (`query --timings`), and "every interface that reaches this ENI on tcp 5432"
#     (`reachers --timings`), with the in-process times (load, index, answer);
#   * the matrix of one VPC's interfaces and the matrix of every interface (wall times);
#   * a diff of two snapshots differing by a few rules, scoped to that VPC and over every
#     interface (`diff --timings`: the diff's time after both snapshots are loaded).
#   Each step is bounded by TIMEOUT seconds; a step that runs out is reported as such.
# Results go to standard output and, with -o, to a Markdown file. Not part of `swift test`.
set -euo pipefail

SIZES="S M"
RUNS=3
export TIMEOUT=600
OUT=""
while getopts "s:r:t:o:h" option; do
    case "$option" in
        s) SIZES=$OPTARG ;;
        r) RUNS=$OPTARG ;;
        t) TIMEOUT=$OPTARG ;;
        o) OUT=$OPTARG ;;
        h) sed -n '2,18p' "$0"; exit 0 ;;
        *) exit 64 ;;
    esac
done

cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { echo "benchmark.sh: /usr/bin/time is needed (apt-get install time)" >&2; exit 1; }
swift build -c release --product vpcreach >&2
BIN=$(swift build -c release --show-bin-path)/vpcreach
WORK=.build-bench
mkdir -p "$WORK/estates"

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# time_of CMD...: prints "seconds peak_kib" of one run; "timeout" when it ran out or failed.
time_of() {
    local record
    record=$(mktemp)
    if /usr/bin/time -o "$record" -f "%e %M" timeout "$TIMEOUT" "$@" >/dev/null 2>&1; then
        tail -1 "$record"
    else
        echo "timeout"
    fi
    rm -f "$record"
}

results=()
results+=("| size | snapshot | interfaces | parse floor | load | load / floor | peak RSS | RSS / size | index | one query | who reaches :5432 | matrix of one VPC | matrix of every interface | diff of one VPC | diff of every interface |")
results+=("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")

for size in $SIZES; do
    estate="$WORK/estates/$size"
    if [ ! -d "$estate" ]; then
        echo "generating $size estate..." >&2
        python3 scripts/synth-estate.py --size "$size" --seed 1 --output "$estate" >&2
    fi
    bytes=$(du -sb "$estate" | cut -f1)
    mapfile -t files < <(find "$estate" -name '*.json' | sort)
    picks=$(python3 - "$estate" <<'PY'
import json, sys, pathlib
root = pathlib.Path(sys.argv[1])
enis, vpcs = [], {}
for path in sorted(root.rglob("*.json")):
    data = json.load(open(path))
    for eni in data.get("NetworkInterfaces", []):
        if eni.get("InterfaceType", "interface") == "interface" and eni.get("Groups"):
            enis.append((eni["NetworkInterfaceId"], eni["VpcId"]))
            vpcs.setdefault(eni["VpcId"], 0)
            vpcs[eni["VpcId"]] += 1
    if len(enis) > 50000:
        break
vpc = max(sorted(vpcs), key=lambda v: vpcs[v])
inside = [e for e, v in enis if v == vpc]
print(inside[0], inside[-1], vpc, vpcs[vpc], sum(1 for _ in root.rglob("describe-network-interfaces.json")))
PY
)
    read -r source target vpc vpc_enis _ <<<"$picks"
    interfaces=$("$BIN" inventory "$estate" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["counts"].get("NetworkInterfaces", 0))')

    floor=(); load=(); rss=()
    for ((run = 0; run < RUNS; run++)); do
        read -r seconds _ <<<"$(time_of python3 -c $'import json,sys\nfor f in sys.argv[1:]: json.load(open(f))' "${files[@]}")"
        floor+=("$seconds")
        read -r seconds kib <<<"$(time_of "$BIN" inventory "$estate" --format json)"
        load+=("$seconds"); rss+=("$kib")
    done
    floor_median=$(printf '%s\n' "${floor[@]}" | median)
    load_median=$(printf '%s\n' "${load[@]}" | median)
    rss_median=$(printf '%s\n' "${rss[@]}" | median)

    timings() { { "$BIN" query "$estate" "$@" --timings 2>&1 >/dev/null || true; } | sed -n 's/^timings: //p'; }
    one=$(timings --from "$source" --to "$target" --port 5432)
    who=$({ "$BIN" reachers "$estate" --to "$target" --port 5432 --timings 2>&1 >/dev/null || true; } | sed -n 's/^timings: //p')
    index_s=$(echo "$one" | sed -n 's/.*index \([0-9.]*\) s.*/\1/p')
    one_s=$(echo "$one" | sed -n 's/.*answer \([0-9.]*\) s.*/\1/p')
    who_s=$(echo "$who" | sed -n 's/.*answer \([0-9.]*\) s.*/\1/p')

    read -r matrix_s _ <<<"$(time_of "$BIN" matrix "$estate" --scope "$vpc" --output /dev/null)"
    read -r full_s _ <<<"$(time_of "$BIN" matrix "$estate" --output /dev/null)"
    # diff exits 1 when it finds changes, which it must here: time it with --fail-on gained (rules were only removed).

    candidate="$WORK/estates/$size-changed"
    rm -rf "$candidate"; cp -r "$estate" "$candidate"
    python3 - "$candidate" <<'PY'
import json, sys, pathlib
# A few rule changes: drop the first ingress rule of three groups.
root = pathlib.Path(sys.argv[1])
changed = 0
for path in sorted(root.rglob("describe-security-groups.json")):
    data = json.load(open(path))
    for group in data["SecurityGroups"]:
        if group.get("IpPermissions") and changed < 3:
            group["IpPermissions"] = group["IpPermissions"][1:]
            changed += 1
    json.dump(data, open(path, "w"), indent=4)
    if changed >= 3:
        break
PY
    # Written to disk before timing: at L the copy's 850 MB of dirty pages would otherwise be
    # written back during the diffs (two diffs right after the copy took 10.1-10.8 s, then 7.7-8.0 s).
    sync
    # The diff's own time, after loading both snapshots; "timeout" when it ran out.
    diff_time() {
        local line
        line=$({ timeout "$TIMEOUT" "$BIN" diff "$estate" "$candidate" "$@" --fail-on gained --timings 2>&1 >/dev/null || true; } | sed -n 's/^timings: .* diff \([0-9.]*\) s.*/\1/p')
        echo "${line:-timeout}"
    }
    diff_s=$(diff_time --scope "$vpc")
    full_diff_s=$(diff_time)

    row=$(python3 - "$size" "$bytes" "$interfaces" "$floor_median" "$load_median" "$rss_median" "$index_s" "$one_s" "$who_s" "$matrix_s" "$vpc_enis" "$full_s" "$diff_s" "$full_diff_s" <<'PY'
import sys
size, size_bytes, interfaces, floor, load, rss, index, one, who, matrix, vpc_enis, full, diff, full_diff = sys.argv[1:]
def number(text):
    try:
        return float(text)
    except ValueError:
        return None
def seconds(text):
    value = number(text)
    return f"{value:g} s" if value is not None else f"> {timeout} s" if text == "timeout" else "n/a"
timeout = __import__("os").environ.get("TIMEOUT", "?")
ratio = f"{number(load) / number(floor):.2f}" if number(load) and number(floor) else "n/a"
rss_mib = f"{int(number(rss)) // 1024} MiB" if number(rss) else "n/a"
rss_ratio = f"{number(rss) * 1024 / int(size_bytes):.2f}" if number(rss) else "n/a"
print(f"| {size} | {int(size_bytes) / 1048576:.0f} MiB | {interfaces} | {seconds(floor)} | {seconds(load)} | {ratio} | {rss_mib} | {rss_ratio} "
      f"| {seconds(index)} | {seconds(one)} | {seconds(who)} | {seconds(matrix)} ({vpc_enis} interfaces) | {seconds(full)} | {seconds(diff)} | {seconds(full_diff)} |")
PY
)
    results+=("$row")
    echo "$row" >&2
    rm -rf "$candidate"
done

{
    echo "vpcreach benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(uname -m), runs=$RUNS (medians), timeout ${TIMEOUT} s"
    echo
    printf '%s\n' "${results[@]}"
} | tee ${OUT:+"$OUT"}
