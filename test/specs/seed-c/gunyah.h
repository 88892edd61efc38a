/* Variant A of the Gunyah uapi, transcribed from /work/shared/data/seed-abis.md §1.2 (BayLibre/android_kernel_common
 * include/uapi/linux/gunyah.h @0458bcad). The truth specs/gunyah.abi is checked against. */
#include <linux/types.h>
#include <linux/ioctl.h>

#define GH_IOCTL_TYPE                 'G'
#define GH_CREATE_VM                  _IO(GH_IOCTL_TYPE, 0x0)

#define GH_MEM_ALLOW_READ   (1UL << 0)
#define GH_MEM_ALLOW_WRITE  (1UL << 1)
#define GH_MEM_ALLOW_EXEC   (1UL << 2)

struct gh_userspace_memory_region {
    __u32 label;
    __u32 flags;
    __u64 guest_phys_addr;
    __u64 memory_size;
    __u64 userspace_addr;
};
#define GH_VM_SET_USER_MEM_REGION     _IOW(GH_IOCTL_TYPE, 0x1, struct gh_userspace_memory_region)

struct gh_vm_dtb_config { __u64 guest_phys_addr; __u64 size; };
#define GH_VM_SET_DTB_CONFIG          _IOW(GH_IOCTL_TYPE, 0x2, struct gh_vm_dtb_config)
#define GH_VM_START                   _IO(GH_IOCTL_TYPE, 0x3)

#define GH_FN_VCPU       1
#define GH_FN_IRQFD      2
#define GH_FN_IOEVENTFD  3
#define GH_FN_MAX_ARG_SIZE 256

struct gh_fn_vcpu_arg { __u32 id; };
#define GH_IRQFD_LEVEL   (1UL << 0)
struct gh_fn_irqfd_arg { __u32 fd; __u32 label; __u32 flags; __u32 padding; };
#define GH_IOEVENTFD_DATAMATCH (1UL << 0)
struct gh_fn_ioeventfd_arg {
    __u64 datamatch;
    __u64 addr;
    __u32 len;
    __s32 fd;
    __u32 flags;
    __u32 padding;
};
struct gh_fn_desc { __u32 type; __u32 arg_size; __u64 arg; };
#define GH_VM_ADD_FUNCTION            _IOW(GH_IOCTL_TYPE, 0x4, struct gh_fn_desc)
#define GH_VM_REMOVE_FUNCTION         _IOW(GH_IOCTL_TYPE, 0x7, struct gh_fn_desc)

enum gh_vm_status { GH_VM_STATUS_LOAD_FAILED = 1, GH_VM_STATUS_EXITED = 2, GH_VM_STATUS_CRASHED = 3 };
#define GH_VM_MAX_EXIT_REASON_SIZE 8u
struct gh_vm_exit_info { __u16 type; __u16 padding; __u32 reason_size; __u8 reason[GH_VM_MAX_EXIT_REASON_SIZE]; };

#define GH_VCPU_EXIT_UNKNOWN 0
#define GH_VCPU_EXIT_MMIO    1
#define GH_VCPU_EXIT_STATUS  2

struct gh_vcpu_run {
    __u8  immediate_exit;
    __u8  padding[7];
    __u32 exit_reason;
    union {
        struct { __u64 phys_addr; __u8 data[8]; __u32 len; __u8 is_write; } mmio;
        struct { enum gh_vm_status status; struct gh_vm_exit_info exit_info; } status;
    };
};
#define GH_VCPU_RUN                   _IO(GH_IOCTL_TYPE, 0x5)
#define GH_VCPU_MMAP_SIZE             _IO(GH_IOCTL_TYPE, 0x6)

#define GH_ANDROID_IOCTL_TYPE         'A'
#define GH_ANDROID_TENTATIVE_UAPI     _IO(GH_ANDROID_IOCTL_TYPE, 0x10)
#define GH_VM_ANDROID_LEND_USER_MEM   _IOW(GH_ANDROID_IOCTL_TYPE, 0x11, struct gh_userspace_memory_region)
struct gh_vm_firmware_config { __u64 guest_phys_addr; __u64 size; };
#define GH_VM_ANDROID_SET_FW_CONFIG   _IOW(GH_ANDROID_IOCTL_TYPE, 0x12, struct gh_vm_firmware_config)
