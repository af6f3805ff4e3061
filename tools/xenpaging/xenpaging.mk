# xenpaging's sources, for the builds that link it: dom0 (tools/minios)
# and the host unit tests. Include with XENPAGING_DIR set to
# tools/xenpaging's path; xenpaging needs the libraries (tools/libs/libs.mk:
# LIBS_INCLUDES) and the system's xenpaging_os.h functions.
XENPAGING_SRCS := \
	$(XENPAGING_DIR)/move.c \
	$(XENPAGING_DIR)/pager.c \
	$(XENPAGING_DIR)/policy.c \
	$(XENPAGING_DIR)/registry.c \
	$(XENPAGING_DIR)/serve.c \
	$(XENPAGING_DIR)/store.c \
	$(XENPAGING_DIR)/xenpaging.c
XENPAGING_INCLUDES := -I$(XENPAGING_DIR)
