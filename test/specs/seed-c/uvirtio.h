/* uvirtio uapi (include/uapi/linux/uvirtio.h, v3): seed-abis.md §3.2. */
#include <linux/types.h>
#include <linux/ioctl.h>

#define UVIRTIO_MAX_CONFIG_LEN 1024
#define UVIRTIO_MAX_RULES 8
#define UVIRTIO_MAX_BLOCKS 8
#define UVIRTIO_MAX_EXPECTS 8
#define UVIRTIO_MAX_VQ_NAME 64
enum { UVIRTIO_DEV_FLAG_STICK = 0, UVIRTIO_DEV_FLAG_MAX };
struct uvirtio_setup {
    __u64 features;
    __u64 config_addr;
    __u16 config_len;
    __u16 flags;
    __u32 id;
};
struct uvirtio_block {
    __u32 len;
    __u16 flags;
    __u16 unused;
    __u64 data;
    struct { __u16 off; __u16 len; } rules[UVIRTIO_MAX_RULES];
};
struct uvirtio_expect {
    struct { char vq_name[UVIRTIO_MAX_VQ_NAME]; struct uvirtio_block blocks[UVIRTIO_MAX_BLOCKS]; }
        expects[UVIRTIO_MAX_EXPECTS];
};
#define UVIRTIO_IOCTL_BASE 'V'
#define UV_DEV_CREATE _IOW(UVIRTIO_IOCTL_BASE, 1, struct uvirtio_setup)
#define UV_DEV_EXPECT _IOW(UVIRTIO_IOCTL_BASE, 2, struct uvirtio_expect)
