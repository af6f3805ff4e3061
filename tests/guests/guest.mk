# Included by every guest's Makefile: `make` in a guest directory builds that
# guest (and the runtime) through ../Makefile, which holds all the rules.
.PHONY: all
all:
	@$(MAKE) --no-print-directory -C .. $(notdir $(CURDIR))
