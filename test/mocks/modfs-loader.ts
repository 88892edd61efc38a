/** Test helper for the modfs mock tests: module images as a little text format. */
import type { ModuleCode, ModuleLoader } from "../../src/mocks/modfs.js";

/**
 * A test loader: the image is text like "init=1 autoclean deps=a/m,b/m" (the mock's stand-in for
 * the `struct module` user space links). `calls` records init/cleanup in order.
 */
export function textLoader(calls: string[] = [], during?: (path: string) => void): ModuleLoader {
  return (image, path) => {
    const text = new TextDecoder().decode(image).replace(/\0+$/, "");
    const words = text.split(/\s+/).filter((w) => w !== "");
    const initWord = words.find((w) => w.startsWith("init="));
    const depsWord = words.find((w) => w.startsWith("deps="));
    const code: ModuleCode = {
      init: () => {
        calls.push(`init ${path}`);
        during?.(path);
        return initWord === undefined ? 0 : Number(initWord.slice(5));
      },
      cleanup: () => void calls.push(`cleanup ${path}`),
      deps: depsWord === undefined ? [] : depsWord.slice(5).split(","),
      autoclean: words.includes("autoclean"),
    };
    return code;
  };
}
