/** Whether the bundle in `dist` (a directory URL) is current with the sources under `root`. */
export function bundleIsCurrent(root: URL, dist: URL): boolean;
