/* Variant C (ACK android15/16 hybrid) of the Gunyah uapi: seed-abis.md §1.4 on top of the shared v17 part. */
#include "gunyah_v17_common.h"

enum gunyah_map_flags {
    GUNYAH_MEM_ALLOW_READ  = 1UL << 0, GUNYAH_MEM_ALLOW_WRITE = 1UL << 1, GUNYAH_MEM_ALLOW_EXEC = 1UL << 2,
    GUNYAH_MEM_ALLOW_RWX   = 0x7,
    GUNYAH_MEM_DEFAULT_ACCESS = 0x00, GUNYAH_MEM_FORCE_LEND = 0x10, GUNYAH_MEM_FORCE_SHARE = 0x20,
#define GUNYAH_MEM_ACCESS_MASK 0x70
    GUNYAH_MEM_UNMAP = 1UL << 8,
};

struct gunyah_userspace_memory_region { __u32 label; __u32 flags; __u64 guest_phys_addr; __u64 memory_size; __u64 userspace_addr; };
#define GH_VM_SET_USER_MEM_REGION   _IOW(GUNYAH_IOCTL_TYPE, 0x1, struct gunyah_userspace_memory_region)
#define GH_ANDROID_IOCTL_TYPE       'A'
#define GH_VM_ANDROID_LEND_USER_MEM _IOW(GH_ANDROID_IOCTL_TYPE, 0x11, struct gunyah_userspace_memory_region)
struct gunyah_vm_firmware_config { __u64 guest_phys_addr; __u64 size; };
#define GH_VM_ANDROID_SET_FW_CONFIG _IOW(GH_ANDROID_IOCTL_TYPE, 0x12, struct gunyah_vm_firmware_config)
struct gunyah_address_range { __u64 guest_phys_addr; __u64 size; };
#define GH_VM_RECLAIM_REGION        _IOW(GH_ANDROID_IOCTL_TYPE, 0x13, struct gunyah_address_range)
#define GH_ANDROID_CREATE_CMA_MEM_FD _IO(GH_ANDROID_IOCTL_TYPE, 0x14)
struct gunyah_map_cma_mem_args {
    __u32 label; __u64 guest_addr; __u32 flags; __u32 guest_mem_fd; __u64 offset; __u64 size;
};
#define GH_VM_ANDROID_MAP_CMA_MEM   _IOW(GH_ANDROID_IOCTL_TYPE, 0x15, struct gunyah_map_cma_mem_args)
enum gunyah_auth_type { GUNYAH_QCOM_TRUSTED_VM_TYPE = 1 };
struct gunyah_qtvm_auth_arg { __u16 vm_id; __u32 peripheral_id; __u64 guest_phys_addr; __u64 size; };
struct gunyah_auth_desc { __u32 type; __u32 arg_size; __u64 arg; };
#define GH_VM_ANDROID_SET_AUTH_TYPE _IOW(GH_ANDROID_IOCTL_TYPE, 0x16, struct gunyah_auth_desc)
#define GH_VM_CHECK_EXTENSION       _IO(GH_ANDROID_IOCTL_TYPE, 0x17)
#define GH_CAP_VCPU_TIMER_WAKEUP    0
