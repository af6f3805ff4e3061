# The tool libraries' sources, for the builds that link them: dom0
# (tools/minios) and the host unit tests (tests/unit). Include this file
# with LIBS_DIR set to the path of tools/libs from the including Makefile:
#
#   LIBS_DIR := ../libs
#   include $(LIBS_DIR)/libs.mk
#
# LIBS_SRCS      every library source (libxenctrl, libxenforeignmemory,
#                libxenevtchn, libxenguest and their common part, and
#                libimage for libxenguest)
# LIBS_INCLUDES  the include flags they need: tools/libs/include (the
#                public library headers, xen_os.h), xen/include (for
#                <public/...>) and libimage's directory, with its tools
#                environment (-DLIBIMAGE_TOOLS)
#
# The sources include only those headers and <stdint.h>, <stddef.h>,
# <stdbool.h>, <string.h>, <stdlib.h> (malloc family), <stdio.h>
# (snprintf, vsnprintf, printf), <stdarg.h> and <errno.h>; the system
# under them provides xen_os.h's functions.

# libimage: the image code the hypervisor's boot-time builder shares with
# libxenguest, built here in its tools environment.
LIBIMAGE_DIR := $(LIBS_DIR)/../../xen/common/libimage

LIBS_SRCS := \
	$(LIBS_DIR)/common/xen_errno.c \
	$(LIBS_DIR)/ctrl/xc_private.c \
	$(LIBS_DIR)/ctrl/xc_domain.c \
	$(LIBS_DIR)/ctrl/xc_memory.c \
	$(LIBS_DIR)/ctrl/xc_host.c \
	$(LIBS_DIR)/ctrl/xc_mem_paging.c \
	$(LIBS_DIR)/ctrl/xc_vm_event.c \
	$(LIBS_DIR)/foreignmemory/foreignmemory.c \
	$(LIBS_DIR)/evtchn/evtchn.c \
	$(LIBS_DIR)/guest/xg_dom_build.c \
	$(LIBIMAGE_DIR)/elf.c \
	$(LIBIMAGE_DIR)/layout.c \
	$(LIBIMAGE_DIR)/acpi.c \
	$(LIBIMAGE_DIR)/bzimage.c \
	$(LIBIMAGE_DIR)/guest_image.c \
	$(LIBIMAGE_DIR)/bzimage_payload.c \
	$(LIBIMAGE_DIR)/decompress.c \
	$(LIBIMAGE_DIR)/inflate.c \
	$(LIBIMAGE_DIR)/lz4.c \
	$(LIBIMAGE_DIR)/zstd.c \
	$(LIBIMAGE_DIR)/zstd_entropy.c \
	$(LIBIMAGE_DIR)/xxh64.c

LIBS_INCLUDES := -I$(LIBS_DIR)/include -I$(LIBS_DIR)/../../xen/include \
	-I$(LIBIMAGE_DIR) -DLIBIMAGE_TOOLS
