#!/usr/bin/env bash
# guest-bench.sh ISO REPORT [PAGING_ISO [DOM0_ISO HOST_FIGURES]]: the
# in-guest figures of `make bench`. ISO or PAGING_ISO `-`: skip that part
# (its section in REPORT stays as it was).
#
# Boots ISO (the pingpong pair with many rounds, ISO_MODULES_bench) RUNS
# times in each emulator configuration, takes from ping's line
#   pingpong: N round trips; bench: cpuid A ns, xen_version B ns,
#   evtchn upcall round trip C ns, evtchn poll round trip D ns
# the median of each figure, and writes them, with their ratios to a CPUID
# exit from the same runs, as a section of REPORT (before its "How to
# reproduce"; a section of the same heading there already is replaced).
# Emulated time is not hardware time: the ratios are the figures to
# compare. Never fails on speed; fails if a run fails.
#
# With PAGING_ISO (the pager and pagetest, ISO_MODULES_pagebench), the same
# for pagetest's lines
#   pagetest: bench pagein A ns, fixup B ns, ratio R (...)
#   pagetest: bench pagein_throughput V vcpus P pages/s (...)
#   pager: bench populate_evicted C gfns: one by one A ns/gfn, batched B ns/gfn, ...
# in a second section: the page-in round trip against a plain nested-fault
# fix-up from the same runs, and page-in throughput with 1, 2 and 4 vCPUs.
#
# With DOM0_ISO (dom0 running tests/bench/dom0bench.sh, ISO_MODULES_dom0bench)
# and HOST_FIGURES (build/bench/dom.figures, from dom-bench), dom0's lines
#   time: xl create hello ... took A ms      (and xl destroy hello, 5 rounds)
#   time: xl create big ... took B ms
#   bench dom0_foreign_map_pages_per_s C pages/s
# go beside the host's figures in a third section.
set -euo pipefail
iso=$1 report=$2 paging_iso=${3:-} dom0_iso=${4:-} host_figures=${5:-}
[ "$paging_iso" != - ] || paging_iso=""
here=$(cd "$(dirname "$0")" && pwd)
boot=$here/../boot
logs=build/test-logs
runs=${RUNS:-3}
mkdir -p "$logs"

# name, then the boot command (minus --iso/--log).
configs=(
	"qemu-svm-smp1|qemu.sh --smp 1 --timeout 300"
	"qemu-svm-smp2|qemu.sh --smp 2 --timeout 300"
	"bochs-vmx-smp1|bochs.sh --model corei7_skylake_x --smp 1 --timeout 600"
)

median() {
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'
}

rows=""
for c in "${configs[@]}"; do
	[ "$iso" != - ] || break
	name=${c%%|*} cmd=${c#*|}
	: >"$logs/bench-$name.figures"
	for r in $(seq 1 "$runs"); do
		log=$logs/bench-$name-$r.log
		# shellcheck disable=SC2086
		"$boot"/${cmd%% *} ${cmd#* } --iso "$iso" --log "$log" \
			--name "bench-$name" --expect domains >/dev/null || {
			echo "guest-bench: $name run $r failed (log $log)" >&2
			exit 1
		}
		sed -n 's/.*bench: cpuid \([0-9]*\) ns, xen_version \([0-9]*\) ns, evtchn upcall round trip \([0-9]*\) ns, evtchn poll round trip \([0-9]*\) ns.*/\1 \2 \3 \4/p' \
			"$log" >>"$logs/bench-$name.figures"
	done
	[ "$(wc -l <"$logs/bench-$name.figures")" -eq "$runs" ] || {
		echo "guest-bench: $name: no bench line in a log" >&2
		exit 1
	}
	fig() { awk -v k="$1" '{ print $k }' "$logs/bench-$name.figures" | median; }
	cpuid=$(fig 1) version=$(fig 2) upcall=$(fig 3) poll=$(fig 4)
	rows+="| $name | $cpuid | $version ($(ratio "$version" "$cpuid")x) | $upcall ($(ratio "$upcall" "$cpuid")x) | $poll ($(ratio "$poll" "$cpuid")x) |"$'\n'
	echo "bench $name.cpuid_exit $cpuid ns"
	echo "bench $name.xen_version $version ns $(ratio "$version" "$cpuid")x"
	echo "bench $name.evtchn_upcall_rtt $upcall ns $(ratio "$upcall" "$cpuid")x"
	echo "bench $name.evtchn_poll_rtt $poll ns $(ratio "$poll" "$cpuid")x"
done

# Paging: name, then the boot command (minus --iso/--log).
paging_configs=(
	"qemu-svm-smp1|qemu.sh --smp 1 --timeout 300"
	"qemu-svm-smp2|qemu.sh --smp 2 --timeout 300"
	"bochs-vmx-smp1|bochs.sh --model corei7_skylake_x --smp 1 --serial yes --timeout 600"
)
paging_rows=""
for c in "${paging_configs[@]}"; do
	[ -n "$paging_iso" ] || break
	name=${c%%|*} cmd=${c#*|}
	figs=$logs/pagebench-$name.figures
	: >"$figs"
	for r in $(seq 1 "$runs"); do
		log=$logs/pagebench-$name-$r.log
		# shellcheck disable=SC2086
		"$boot"/${cmd%% *} ${cmd#* } --iso "$paging_iso" --log "$log" \
			--name "pagebench-$name" --expect domains >/dev/null || {
			echo "guest-bench: paging $name run $r failed (log $log)" >&2
			exit 1
		}
		line=$(sed -n 's/.*bench pagein \([0-9]*\) ns, fixup \([0-9]*\) ns.*/\1 \2/p' "$log")
		for v in 1 2 4; do
			line+=" $(sed -n "s/.*bench pagein_throughput $v vcpus \([0-9]*\) pages.*/\1/p" "$log")"
		done
		line+=" $(sed -n 's/.*bench populate_evicted [0-9]* gfns: one by one \([0-9]*\) ns\/gfn, batched \([0-9]*\) ns\/gfn.*/\1 \2/p' "$log")"
		echo "$line" >>"$figs"
	done
	[ "$(awk 'NF == 7' "$figs" | wc -l)" -eq "$runs" ] || {
		echo "guest-bench: paging $name: a bench line missing in a log" >&2
		exit 1
	}
	fig() { awk -v k="$1" '{ print $k }' "$figs" | median; }
	pagein=$(fig 1) fixup=$(fig 2) t1=$(fig 3) t2=$(fig 4) t4=$(fig 5)
	single=$(fig 6) batch=$(fig 7)
	pr=$(ratio "$pagein" "$fixup") ps=$(ratio "$single" "$batch")
	paging_rows+="| $name | $pagein | $fixup | $pr | $t1 | $t2 ($(ratio "$t2" "$t1")x) | $t4 ($(ratio "$t4" "$t1")x) | $single | $batch | $ps |"$'\n'
	echo "bench $name.populate_evicted_speedup $ps x"
	echo "bench $name.pagein_ratio $pr x"
	echo "bench $name.pagein_rtt $pagein ns"
	echo "bench $name.nested_fixup $fixup ns"
	echo "bench $name.pagein_throughput_1vcpu $t1 pages/s"
	echo "bench $name.pagein_throughput_2vcpu $t2 pages/s"
	echo "bench $name.pagein_throughput_4vcpu $t4 pages/s"
done

# dom0: one configuration, name, then the boot command (minus --iso/--log).
# The 1 GiB domain needs 2 GiB of RAM; Bochs would take hours to map it.
dom0_config="qemu-svm-smp1|qemu.sh --smp 1 --mem 2048 --timeout 900"
dom0_rows=""
if [ -n "$dom0_iso" ]; then
	for f in domain_create_destroy domain_create_build_destroy \
		foreign_map_pages_per_s; do
		grep -q "^bench host.$f " "$host_figures" || {
			echo "guest-bench: no host.$f in '$host_figures'" >&2
			exit 1
		}
	done
	name=${dom0_config%%|*} cmd=${dom0_config#*|}
	figs=$logs/dom0bench-$name.figures
	: >"$figs"
	for r in $(seq 1 "$runs"); do
		log=$logs/dom0bench-$name-$r.log
		# shellcheck disable=SC2086
		"$boot"/${cmd%% *} ${cmd#* } --iso "$dom0_iso" --log "$log" \
			--name "dom0bench-$name" --expect domains >/dev/null || {
			echo "guest-bench: dom0 $name run $r failed (log $log)" >&2
			exit 1
		}
		took() { sed -n "s/.*time: $1 took \([0-9.]*\) ms.*/\1/p" "$log"; }
		create=$(took 'xl create hello .*') destroy=$(took 'xl destroy hello')
		if [ "$(echo "$create" | wc -w)" -ne 5 ] ||
			[ "$(echo "$destroy" | wc -w)" -ne 5 ]; then
			echo "guest-bench: dom0 $name: not 5 rounds in $log" >&2
			exit 1
		fi
		# A round: one create and the destroy after it.
		round=$(paste <(echo "$create") <(echo "$destroy") |
			awk '{ print $1 + $2 }' | median)
		echo "$round $(echo "$create" | median)" \
			"$(echo "$destroy" | median) $(took 'xl create big .*')" \
			"$(sed -n 's/.*bench dom0_foreign_map_pages_per_s \([0-9]*\) pages.*/\1/p' "$log")" \
			>>"$figs"
	done
	[ "$(awk 'NF == 5' "$figs" | wc -l)" -eq "$runs" ] || {
		echo "guest-bench: dom0 $name: a figure missing in a log" >&2
		exit 1
	}
	fig() { awk -v k="$1" '{ print $k }' "$figs" | median; }
	round=$(fig 1) create=$(fig 2) destroy=$(fig 3) big=$(fig 4) map=$(fig 5)
	dom0_rows="$round $create $destroy $big $map"
	echo "bench $name.dom0_xl_create_destroy $round ms"
	echo "bench $name.dom0_xl_create $create ms"
	echo "bench $name.dom0_xl_destroy $destroy ms"
	echo "bench $name.dom0_xl_create_1gib $big ms"
	echo "bench $name.dom0_foreign_map_pages_per_s $map pages/s"
fi

# The sections made, each added with add_section.
section=""
add_section() {
	section+=${section:+$'\n\n'}$1
}
if [ -n "$rows" ]; then
	rounds=$(sed -n 's/.*pingpong: \([0-9]*\) round trips.*/\1/p' \
		"$logs"/bench-qemu-svm-smp1-1.log | head -1)
	add_section "$(
		cat <<EOT
## Hypercalls and event channels, in a guest

Measured by the \`pingpong\` guest pair (\`dist/xen-bench.iso\`,
ISO_MODULES_bench in Config.mk) booted $runs times per configuration under
emulators; the median of the runs, in ns of hypervisor time
(\`HVMOP_get_time\`), with the ratio to a CPUID exit measured in the same
runs. Emulated time is not hardware time: compare the ratios.

- cpuid exit: \`cpuid\` (leaf 0x40000000), a plain VM exit and entry;
  2000 in a row.
- xen_version: \`xen_version(XENVER_version)\` through VMCALL/VMMCALL,
  2000 in a row: exit, dispatch, return.
- evtchn upcall round trip: ping sends on its interdomain port, pong's
  upcall handler sees the event and pong sends back, ping's handler sees
  it; both wait in \`sti; hlt\`. $((rounds / 2)) round trips.
- evtchn poll round trip: the same with the port masked, each side waiting
  in \`SCHEDOP_poll\`. $((rounds - rounds / 2)) round trips.
- smp1: both domains on one CPU (each round trip is two switches between
  them); smp2: one CPU each (an IPI wakes the other side).

| configuration | cpuid exit (ns) | xen_version (ns) | evtchn upcall round trip (ns) | evtchn poll round trip (ns) |
|---|---:|---:|---:|---:|
${rows%$'\n'}

EOT
	)"
fi
if [ -n "$paging_rows" ]; then
	n=$(sed -n 's/.*bench: \([0-9]*\) pages from gfn.*/\1/p' \
		"$logs"/pagebench-qemu-svm-smp1-1.log | head -1)
	add_section "$(
		cat <<EOT
## Paging, in a guest

Measured by the pager and \`pagetest bench=N\` (\`dist/xen-pagebench.iso\`,
ISO_MODULES_pagebench in Config.mk; tests/guests/pagetest/bench.c) booted
$runs times per configuration; the median of the runs, in ns of the guest's
TSC (its frequency from CPUID 0x40000003). Emulated time is not hardware
time: compare the ratio, measured in the same runs.

- page-in: a write to a page the pager evicted, timed in the guest: nested
  fault, request on the ring, the pager woken, prep with the contents and
  response, the vCPU woken and back in the guest. Median of $((n / 2)).
- nested fix-up: a write to a page the pager only nominated: a nested
  fault the hypervisor fixes by itself (the page becomes ram_rw again; the
  pager gets an EVICT_FAIL notice but nobody waits for it). Median of
  $((n / 2)), one after each page-in.
- throughput: $n evicted pages paged in by 1, 2 or 4 of pagetest's vCPUs,
  each writing to its own slice, from the start to the last vCPU done;
  the ratio to 1 vCPU in brackets. One pager vCPU serves the ring (8 slots).
- populate_evicted: the pager, pagetest paused, pages out the same $n
  gfns (their contents saved first, not timed) with nominate and evict
  for each gfn, then with one populate_evicted call (a flush per 64 gfns),
  in ns per gfn of hypervisor time; the speedup is their ratio.
- pagetest has 4 vCPUs and the pager 1; smp1: all on one CPU, smp2: spread
  over two.

| configuration | page-in (ns) | nested fix-up (ns) | ratio | 1 vCPU (pages/s) | 2 vCPUs (pages/s) | 4 vCPUs (pages/s) | nominate+evict (ns/gfn) | populate_evicted (ns/gfn) | speedup |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${paging_rows%$'\n'}

EOT
	)"
fi
if [ -n "$dom0_rows" ]; then
	host() {
		awk -v k="bench host.$1" '$1 " " $2 == k { print $3 }' \
			"$host_figures"
	}
	read -r round create destroy big map <<<"$dom0_rows"
	add_section "$(
		cat <<EOT
## Domains and foreign mappings, on the host and in a guest

The same operations timed on the host, through the tool libraries on the
in-process transport (\`build/bench/dom-bench\`, tests/bench/dom_bench.c:
the hypervisor's own hypercall handlers built \`-O2 -DNDEBUG\`, native),
and in dom0 under QEMU (\`dist/xen-dom0bench.iso\`, ISO_MODULES_dom0bench in
Config.mk, running tests/bench/dom0bench.sh), TCG, 1 CPU, 2 GiB, booted
$runs times; dom0's figures are the median of the boots, timed by its
\`time\` and \`mapbench\` commands on the hypervisor's clock
(\`HVMOP_get_time\`). QEMU's numbers are emulator numbers, not hardware
ones (TCG translates every guest instruction): compare rows within a
column, not the columns.

- create + destroy: \`xc_domain_create\` (1 vCPU, HVM) then
  \`xc_domain_destroy\`, median of 201 rounds; the domain must exist in
  between and be gone after, with every page free again.
- with build: the same with \`xg_dom_build\` of a 32-bit ELF (64 KiB
  loaded) into 16 MiB of RAM; each round checks the domain's pages and
  every loaded page. In dom0: \`xl create hello mem=16M vcpus=1
  image=hello.elf paused\` then \`xl destroy hello\` (hello.elf, 5
  rounds, the median round); each alone beside it.
- 1 GiB build: \`xl create\` of a paused 1 GiB domain (dom0 only).
- foreign mappings: the domain's 1 GiB (262144 pages) mapped
  1024 pages per \`xenforeignmemory_map\` call and unmapped, the time in
  map and unmap calls only, pages/s, median of 5 passes. Each page's
  first word must be the value written into that frame beforehand (on
  the host through the hypervisor's frame, in dom0 by a first pass of
  one-page mappings), so a mapping of the wrong frame ends the run
  without a figure. On the host each mapped frame is also an mmap of its
  own (a system call per page, in the figure); in dom0 each map call is
  one add_to_physmap_batch and each unmapped page a remove_from_physmap.

| figure | host (in-process) | dom0, QEMU TCG 1 CPU |
|---|---:|---:|
| create + destroy | $(host domain_create_destroy) µs | |
| create + build (16 MiB) + destroy | $(host domain_create_build_destroy) µs | $round ms |
| xl create (16 MiB) alone | | $create ms |
| xl destroy alone | | $destroy ms |
| xl create of a 1 GiB domain | | $big ms |
| foreign map + unmap of 1 GiB | $(host foreign_map_pages_per_s) pages/s | $map pages/s |

EOT
	)"
fi
# p2m-bench kept the previous in-guest sections: these replace them.
awk -v section="$section" '
	BEGIN {
		n = split(section, l, "\n")
		for (i = 1; i <= n; i++)
			if (l[i] ~ /^## /)
				mine[l[i]] = 1
	}
	/^## / { skip = ($0 in mine) }
	/^## How to reproduce/ && !done { print section; print ""; done = 1 }
	!skip { print }
	END { if (!done) { print ""; print section } }
' "$report" >"$report.tmp"
mv "$report.tmp" "$report"
