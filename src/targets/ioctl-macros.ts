/** The uapi macro that encodes an ioctl of each direction (`_IOW('V', 1, struct uvirtio_setup)`). */
import type { IoctlDir } from "../syntax/ast.js";

export const IOC_MACRO: Readonly<Record<IoctlDir, "_IO" | "_IOR" | "_IOW" | "_IOWR">> = {
  none: "_IO",
  read: "_IOR",
  write: "_IOW",
  readwrite: "_IOWR",
};
