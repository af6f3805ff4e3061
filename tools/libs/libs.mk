# The tool libraries' sources, for the builds that link them: dom0
# (tools/minios) and the host unit tests (tests/unit). Include this file
# with LIBS_DIR set to the path of tools/libs from the including Makefile:
#
#   LIBS_DIR := ../libs
#   include $(LIBS_DIR)/libs.mk
#
# LIBS_SRCS      every library source (libxenctrl, libxenforeignmemory,
#                libxenevtchn and their common part)
# LIBS_INCLUDES  the include flags they need: tools/libs/include (the
#                public library headers, xen_os.h) and xen/include (for
#                <public/...>)
#
# The sources include only those headers and <stdint.h>, <stddef.h>,
# <stdbool.h>, <string.h>, <stdlib.h> (malloc family), <stdio.h>
# (snprintf, printf) and <errno.h>; the system under them provides
# xen_os.h's functions.

LIBS_SRCS := \
	$(LIBS_DIR)/common/xen_errno.c \
	$(LIBS_DIR)/ctrl/xc_private.c \
	$(LIBS_DIR)/ctrl/xc_domain.c \
	$(LIBS_DIR)/ctrl/xc_memory.c \
	$(LIBS_DIR)/ctrl/xc_host.c \
	$(LIBS_DIR)/foreignmemory/foreignmemory.c \
	$(LIBS_DIR)/evtchn/evtchn.c

LIBS_INCLUDES := -I$(LIBS_DIR)/include -I$(LIBS_DIR)/../../xen/include
