/* Variant B (upstream v17) of the Gunyah uapi: seed-abis.md §1.3. */
#include "gunyah_v17_common.h"

enum gunyah_mem_flags { GHMF_CLOEXEC = (1UL << 0), GHMF_ALLOW_HUGEPAGE = (1UL << 1) };
struct gunyah_create_mem_args { __u64 flags; __u64 size; __u64 reserved[6]; };
#define GUNYAH_CREATE_GUEST_MEM _IOW(GUNYAH_IOCTL_TYPE, 0x8, struct gunyah_create_mem_args)

enum gunyah_map_flags {
    GUNYAH_MEM_DEFAULT_ACCESS = 0,
    GUNYAH_MEM_FORCE_LEND     = 1,
    GUNYAH_MEM_FORCE_SHARE    = 2,
#define GUNYAH_MEM_ACCESS_MASK 0x7
    GUNYAH_MEM_ALLOW_READ     = 1UL << 4,
    GUNYAH_MEM_ALLOW_WRITE    = 1UL << 5,
    GUNYAH_MEM_ALLOW_EXEC     = 1UL << 6,
    GUNYAH_MEM_ALLOW_RWX      = (GUNYAH_MEM_ALLOW_READ | GUNYAH_MEM_ALLOW_WRITE | GUNYAH_MEM_ALLOW_EXEC),
    GUNYAH_MEM_UNMAP          = 1UL << 8,
};
