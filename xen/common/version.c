/*
 * xen_version (hypercall 17): (cmd, arg). What the hypervisor is, how it
 * was built and what it offers. XENVER_version and XENVER_pagesize return
 * their value; every other sub-op copies a fixed-size result to arg (0,
 * or -EFAULT with nothing written). The hypervisor command line and the
 * build id are the control domain's (-EPERM for others).
 */
#include <generated/compile.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/version.h>
#include <public/version.h>

/* Guests run in hardware-virtualised containers, 64- or 32-bit. */
#define XEN_CAPABILITIES "hvm-3.0-x86_64 hvm-3.0-x86_32"

/* s, cut and zero-padded to a field of size chars, to arg. */
static long copy_string(unsigned long arg, const char *s, size_t size)
{
	char buf[sizeof(xen_capabilities_info_t)]; /* the largest field */

	ASSERT(size <= sizeof(buf));
	memset(buf, 0, size);
	strlcpy(buf, s, size);
	return copy_to_guest(guest_handle_from_param(arg, char), buf, size);
}

static long compile_info(unsigned long arg)
{
	struct xen_compile_info info;

	memset(&info, 0, sizeof(info));
	strlcpy(info.compiler, XEN_COMPILER, sizeof(info.compiler));
	strlcpy(info.compile_by, XEN_COMPILE_BY, sizeof(info.compile_by));
	strlcpy(info.compile_domain, XEN_COMPILE_DOMAIN,
		sizeof(info.compile_domain));
	strlcpy(info.compile_date, __DATE__ " " __TIME__,
		sizeof(info.compile_date));
	return copy_to_guest(guest_handle_from_param(arg, xen_compile_info_t),
			     &info, 1);
}

/*
 * An HVM guest's address space has no hypervisor hole: virt_start is 0,
 * an unsigned long of the caller's width.
 */
static long platform_parameters(const struct hypercall_args *args)
{
	struct compat_platform_parameters c = { .virt_start = 0 };
	struct xen_platform_parameters p = { .virt_start = 0 };

	if (args->compat)
		return copy_to_guest(
			guest_handle_from_param(args->a[1],
						compat_platform_parameters_t),
			&c, 1);
	return copy_to_guest(guest_handle_from_param(args->a[1],
						     xen_platform_parameters_t),
			     &p, 1);
}

/*
 * Submap 0 only: a guest owns its page tables (writable_page_tables),
 * sees guest-physical frames (auto_translated_physmap), may name an
 * upcall vector (hvm_callback_vector: HVM_PARAM_CALLBACK_IRQ's vector
 * type) and may trust its pvclock (hvm_safe_pvclock: vcpu_time_info is
 * kept for HVM vCPUs); the control domain is told it is dom0.
 */
static long get_features(struct vcpu *v, unsigned long arg)
{
	XEN_GUEST_HANDLE(xen_feature_info_t) h =
		guest_handle_from_param(arg, xen_feature_info_t);
	struct xen_feature_info fi;

	if (copy_from_guest(&fi, h, 1))
		return -EFAULT;
	if (fi.submap_idx >= XENFEAT_NR_SUBMAPS)
		return -EINVAL;
	fi.submap = (1u << XENFEAT_writable_page_tables) |
		    (1u << XENFEAT_auto_translated_physmap) |
		    (1u << XENFEAT_hvm_callback_vector) |
		    (1u << XENFEAT_hvm_safe_pvclock);
	if (is_control_domain(v->domain))
		fi.submap |= 1u << XENFEAT_dom0;
	return copy_to_guest(h, &fi, 1);
}

long do_xen_version(struct vcpu *v, struct hypercall_args *args)
{
	static const xen_domain_handle_t no_handle;
	unsigned long arg = args->a[1];
	bool control = is_control_domain(v->domain);

	switch (args->a[0]) {
	case XENVER_version:
		return (XEN_VERSION << 16) | XEN_SUBVERSION;
	case XENVER_extraversion:
		return copy_string(arg, XEN_EXTRAVERSION,
				   sizeof(xen_extraversion_t));
	case XENVER_compile_info:
		return compile_info(arg);
	case XENVER_capabilities:
		return copy_string(arg, XEN_CAPABILITIES,
				   sizeof(xen_capabilities_info_t));
	case XENVER_changeset:
		return copy_string(arg, XEN_CHANGESET,
				   sizeof(xen_changeset_info_t));
	case XENVER_platform_parameters:
		return platform_parameters(args);
	case XENVER_get_features:
		return get_features(v, arg);
	case XENVER_pagesize:
		return PAGE_SIZE;
	case XENVER_guest_handle:
		/* Domains have no handle (UUID) yet: all zeros. */
		return copy_to_guest(guest_handle_from_param(arg, uint8_t),
				     no_handle, sizeof(no_handle));
	case XENVER_commandline:
		if (!control)
			return -EPERM;
		return copy_string(arg, saved_cmdline(),
				   sizeof(xen_commandline_t));
	case XENVER_build_id:
		/* The image carries no build id. */
		return control ? -ENODATA : -EPERM;
	}
	return -ENOSYS;
}
