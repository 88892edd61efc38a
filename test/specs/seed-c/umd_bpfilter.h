/* bpfilter's net/bpfilter/msgfmt.h: seed-abis.md §2.4. */
#include <linux/types.h>

struct mbox_request { __u64 addr; __u32 len; __u32 is_set; __u32 cmd; __u32 pid; };
struct mbox_reply { __u32 status; };
