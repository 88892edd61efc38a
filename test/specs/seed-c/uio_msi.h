/* uio_msi (2015 patch as quoted by the brief): seed-abis.md §4. */
#include <linux/types.h>
#include <linux/ioctl.h>

#define UIO_MSI_BASE 0x86
struct uio_msi_irq_set { __u32 vec; int fd; };
#define UIO_MSI_IRQ_SET _IOW('I', UIO_MSI_BASE + 1, struct uio_msi_irq_set)
