# xenpaging's sources, for the builds that link it: dom0 (tools/minios),
# the host unit tests and benchmarks. Include with XENPAGING_DIR set to
# tools/xenpaging's path. The store (its index and codec) is plain C on
# <string.h>, <stdlib.h> and <errno.h> only: the host's tests and
# benchmarks link XENPAGING_STORE_SRCS alone. The rest needs the
# libraries (tools/libs/libs.mk: LIBS_INCLUDES) and the system's
# xenpaging_os.h functions.
XENPAGING_STORE_SRCS := \
	$(XENPAGING_DIR)/store.c \
	$(XENPAGING_DIR)/compress.c
XENPAGING_SRCS := \
	$(XENPAGING_STORE_SRCS) \
	$(XENPAGING_DIR)/move.c \
	$(XENPAGING_DIR)/pager.c \
	$(XENPAGING_DIR)/policy.c \
	$(XENPAGING_DIR)/registry.c \
	$(XENPAGING_DIR)/serve.c \
	$(XENPAGING_DIR)/xenpaging.c
XENPAGING_INCLUDES := -I$(XENPAGING_DIR)
