/* The UMD management selftest's sample_umd/msgfmt.h: seed-abis.md §2.4. */
#include <stdint.h>

struct sample_request { uint32_t offset; };
struct sample_reply   { uint8_t data[128 * 1024]; };
