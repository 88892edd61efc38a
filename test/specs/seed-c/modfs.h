/* modfs RFC (2002): seed-abis.md §5; only the filesystem magic is a C-level fact. */
#define MODFS_MAGIC 0x7a3dc6cd
