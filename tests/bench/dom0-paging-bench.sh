#!/usr/bin/env bash
# dom0-paging-bench.sh ISO REPORT [RUNS]: boot dist/xen-dom0pagebench.iso
# (dom0 running tests/bench/xpbench.sh) RUNS times (default 3) under
# QEMU TCG with 2 CPUs and put the medians into REPORT (docs/benchmarks.md)
# as the section "xenpaging in dom0". Prints the figures as `bench NAME
# VALUE UNIT` lines. Exits 1 if a run fails or a figure is missing.
set -euo pipefail
iso=$1 report=$2 runs=${3:-3}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
boot=$here/../boot
logs=build/bench
mkdir -p "$logs"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

figs=$logs/dom0-paging.figures
: >"$figs"
for r in $(seq 1 "$runs"); do
	log=$logs/dom0-paging-$r.log
	"$boot"/qemu.sh --iso "$iso" --log "$log" --smp 2 --mem 1024 \
		--timeout 600 --name dom0-paging-bench --expect domains >/dev/null || {
		echo "dom0-paging-bench: run $r failed (log $log)" >&2
		exit 1
	}
	took() { sed -n "s/.*time: $1 took \([0-9.]*\) ms.*/\1/p" "$log" | head -n 1; }
	# Evicting the paused 64 MiB pagetest to 16 MiB: N evictions in T ms.
	read -r evictions evict_ms < <(sed -n 's/.*xenpaging d2: resident [0-9]* of [0-9]* pages (target [0-9]*) after \([0-9]*\) evictions in \([0-9]*\) ms.*/\1 \2/p' "$log" | head -n 1)
	pageins=$(sed -n 's/.*xenpaging d2: detached: every page back in (\([0-9]*\) page-ins now).*/\1/p' "$log")
	detach_ms=$(took 'xenpaging -d 2 --detach')
	run_ms=$(took 'xl wait 2')
	# The --stats line after pagetest's run: its page-ins and the store.
	stats=$(grep -a 'xenpaging d2: resident [0-9]*, evicted' "$log" | tail -n 1)
	faults=$(sed -n 's/.*page-ins \([0-9]*\), faults.*/\1/p' <<<"$stats")
	store_bytes=$(sed -n 's/.*store \([0-9]*\) bytes (\([0-9]*\) pages.*/\1/p' <<<"$stats")
	store_pages=$(sed -n 's/.*store \([0-9]*\) bytes (\([0-9]*\) pages.*/\2/p' <<<"$stats")
	eager=$(awk -v c="$(took 'xl create eager .*')" -v w="$(took 'xl wait eager')" 'BEGIN { print c + w }')
	lazy=$(awk -v c="$(took 'xl create lazy .*')" -v w="$(took 'xl wait lazy')" 'BEGIN { print c + w }')
	eager_create=$(took 'xl create eager .*') lazy_create=$(took 'xl create lazy .*')
	first_ms=$(sed -n 's/.*xenpaging d4: lazy start: first output after \([0-9]*\) ms, \([0-9]*\) pages.*/\1/p' "$log")
	touched=$(grep -a 'xenpaging d4: resident [0-9]*, evicted' "$log" | tail -n 1 | sed -n 's/.*page-ins \([0-9]*\),.*/\1/p')
	line="$evictions $evict_ms $pageins $detach_ms $faults $run_ms $store_pages $store_bytes $eager $lazy $eager_create $lazy_create $first_ms $touched"
	[ "$(wc -w <<<"$line")" -eq 14 ] || {
		echo "dom0-paging-bench: a figure missing in $log: $line" >&2
		exit 1
	}
	awk -v l="$line" 'BEGIN { split(l, f, " ")
		printf "%d %d %d %.2f %.2f %s %s %s %s %s\n",
			f[1] * 1000 / f[2], f[3] * 1000 / f[4], f[5] * 1000 / f[6],
			f[7] * 4096 / f[8], f[10] / f[9], f[9], f[10], f[13], f[14],
			f[11] " " f[12] }' >>"$figs"
done
fig() { awk -v k="$1" '{ print $k }' "$figs" | median; }
evict_rate=$(fig 1) pagein_rate=$(fig 2) fault_rate=$(fig 3) ratio=$(fig 4)
lazy_vs_eager=$(fig 5) eager=$(fig 6) lazy=$(fig 7) first=$(fig 8)
touched=$(fig 9) eager_create=$(fig 10) lazy_create=$(fig 11)
echo "bench dom0_xenpaging_evictions_per_s $evict_rate pages/s"
echo "bench dom0_xenpaging_pageins_per_s $pagein_rate pages/s"
echo "bench dom0_xenpaging_faults_per_s $fault_rate pages/s"
echo "bench dom0_xenpaging_store_ratio_pagetest $ratio x"
echo "bench dom0_lazy_vs_eager_start $lazy_vs_eager (lazy/eager)"
section=$logs/dom0-paging.md
cat >"$section" <<EOT
## xenpaging in dom0

dom0's pager timed in dom0 under QEMU (\`dist/xen-dom0pagebench.iso\`,
ISO_MODULES_dom0pagebench in Config.mk, running tests/bench/xpbench.sh),
TCG, 2 CPUs, 1 GiB, booted $runs time$( [ "$runs" -gt 1 ] && echo s); each figure is the median of the
boots, on the hypervisor's clock. Emulator numbers: compare within the
table, not with hardware.

| figure | value |
|---|---:|
| evictions, pagetest (64 MiB, paused) down to 16 MiB: nominate, map, store, unmap, evict in batches of 64 | $evict_rate pages/s |
| page-ins by \`--detach\` (the pager's own, no fault): 12,288 pages | $pagein_rate pages/s |
| page-ins on faults, pagetest running 2 passes on 2 vCPUs at 25% resident | $fault_rate pages/s |
| the store on pagetest's pattern pages: bytes of the pages / bytes it takes | ${ratio}x |
| hello (256 MiB) eager: \`xl create\` to its poweroff (create alone $eager_create ms) | $eager ms |
| hello (256 MiB) lazy=1: \`xl create\` to its poweroff (create alone $lazy_create ms) | $lazy ms |
| lazy / eager, side by side in each boot | $lazy_vs_eager |
| lazy: from the pager's start to hello's first output; pages it touched in all | $first ms; $touched pages |

A lazy start pages all of RAM out with one populate_evicted call and
puts only the pages the builder wrote into the store; the guest's pages
then come on first touch. Eager populates and clears all 256 MiB first.
EOT
"$here"/put-section.sh "$report" "$section"
