#!/usr/bin/env bash
# gen-symbols.sh ELF > symbols.S: the text symbols of ELF as a sorted table
# (see xen/common/symbols.c) for symbolic backtraces.
set -euo pipefail
nm -n --defined-only "$1" | awk '
	BEGIN { n = 0 }
	$2 ~ /^[tTwW]$/ && $1 ~ /^ffffffff/ { addr[n] = $1; name[n] = $3; n++ }
	END {
		print "\t.section .rodata.symbols, \"a\""
		print "\t.globl symbols_addresses, symbols_name_offsets"
		print "\t.globl symbols_names, symbols_count"
		print "\t.balign 8"
		print "symbols_count:\n\t.quad " n
		print "symbols_addresses:"
		for (i = 0; i < n; i++)
			print "\t.quad 0x" addr[i]
		print "symbols_name_offsets:"
		off = 0
		for (i = 0; i < n; i++) {
			print "\t.long " off
			off += length(name[i]) + 1
		}
		print "symbols_names:"
		for (i = 0; i < n; i++)
			print "\t.asciz \"" name[i] "\""
	}'
