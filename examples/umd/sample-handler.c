/*
 * The UMD management selftest's sample driver in C, built from abigen's generated header: read
 * one struct sample_request from fd 0, set data[offset] = 1 (if offset < SAMPLE_REPLY_SIZE),
 * write the whole 128 KiB struct sample_reply to fd 1, clear the byte again. A short read or
 * write ends the driver.
 *
 * Build: gcc -O2 -I generated/c -o sample-handler examples/umd/sample-handler.c
 * Options (for tests): --log=PATH appends every request's raw bytes to PATH.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <tools/testing/selftests/umd_mgmt/sample_umd/msgfmt.h>

_Static_assert(sizeof(struct sample_request) == 4, "sample_request is 4 bytes");
_Static_assert(sizeof(struct sample_reply) == 128 * 1024, "sample_reply is 128 KiB");

static struct sample_reply reply;

int main(int argc, char **argv)
{
	int log_fd = -1;

	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], "--log=", 6))
			log_fd = open(argv[i] + 6, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

	for (;;) {
		struct sample_request req;
		ssize_t n;

		if (read(0, &req, sizeof(req)) != sizeof(req))
			return 0;
		if (log_fd >= 0 && write(log_fd, &req, sizeof(req)) != sizeof(req))
			return 2;
		if (req.offset < SAMPLE_REPLY_SIZE)
			reply.data[req.offset] = 1;
		/* A blocking pipe write of 128 KiB completes in full unless a signal cuts it short. */
		n = write(1, &reply, sizeof(reply));
		if (req.offset < SAMPLE_REPLY_SIZE)
			reply.data[req.offset] = 0;
		if (n != sizeof(reply))
			return 0;
	}
}
