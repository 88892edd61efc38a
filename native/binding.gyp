# The ioctl addon (native/ioctl.cc); built by `npm ci` through native/build.mjs.
{
  "targets": [
    {
      "target_name": "abigen_ioctl",
      "sources": ["ioctl.cc"],
      "cflags_cc": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-cast-function-type"]
    }
  ]
}
