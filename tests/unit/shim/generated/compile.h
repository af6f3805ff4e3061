/*
 * Host shim: what scripts/gen-compile-h.sh writes for the hypervisor,
 * with fixed values that test_version.c checks. The compiler string is
 * longer than its field (64 chars), to be cut.
 */
#define XEN_COMPILER                                                        \
	"host-cc version 0123456789 0123456789 0123456789 0123456789 01234" \
	"56789 (unit tests)"
#define XEN_COMPILE_BY "unit"
#define XEN_COMPILE_DOMAIN "tests.example"
#define XEN_CHANGESET "git:0123456789ab-dirty"
