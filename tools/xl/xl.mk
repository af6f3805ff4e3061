# xl's sources, for the builds that link it: dom0 (tools/minios) and the
# host unit tests. Include with XL_DIR set to tools/xl's path; xl needs
# the libraries (tools/libs/libs.mk: LIBS_INCLUDES) and the system's
# xl_os.h functions.
XL_SRCS := \
	$(XL_DIR)/xl.c \
	$(XL_DIR)/xl_domain.c \
	$(XL_DIR)/xl_info.c
XL_INCLUDES := -I$(XL_DIR)
