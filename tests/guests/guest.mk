# Included by every guest's Makefile: `make` in a guest directory builds that
# guest (and the runtime) through ../Makefile, which holds all the rules. A
# self-contained 64-bit guest sets `GUEST_BITS := 64` before including this
# (../Makefile reads that line from the guest's Makefile).
.PHONY: all
all:
	@$(MAKE) --no-print-directory -C .. $(notdir $(CURDIR))
