/*
 * A bpfilter user-mode driver in C, built from abigen's generated header: the port of
 * net/bpfilter/main.c. Reads one struct mbox_request from fd 0, answers one struct mbox_reply on
 * fd 1, forever. A get with cmd 0 gives 0, everything else -ENOPROTOOPT (status = (__u32)-errno).
 * A short read or write ends the driver.
 *
 * Build: gcc -O2 -I generated/c -o handler examples/umd/handler.c
 * Options (for tests; the stock handler has none):
 *   --log=PATH       append every request's raw bytes to PATH, as read
 *   --fault-cmd=N    a request with cmd N gets half a reply, then the driver exits
 *   --serial-check   exit (code 3, no reply) if another request is already waiting in the pipe
 *                    when one is read: the manager must never have two requests in flight
 *   --delay-us=N     sleep N microseconds before each reply (widens any overlap window)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <net/bpfilter/msgfmt.h>

_Static_assert(sizeof(struct mbox_request) == 24, "mbox_request is 24 bytes");
_Static_assert(sizeof(struct mbox_reply) == 4, "mbox_reply is 4 bytes");

static __u32 handle(const struct mbox_request *req)
{
	if (!req->is_set && req->cmd == 0)
		return 0;
	return (__u32)-ENOPROTOOPT;
}

int main(int argc, char **argv)
{
	int log_fd = -1, serial_check = 0, have_fault = 0;
	unsigned long fault_cmd = 0, delay_us = 0;

	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--log=", 6))
			log_fd = open(argv[i] + 6, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		else if (!strncmp(argv[i], "--fault-cmd=", 12))
			have_fault = 1, fault_cmd = strtoul(argv[i] + 12, NULL, 0);
		else if (!strcmp(argv[i], "--serial-check"))
			serial_check = 1;
		else if (!strncmp(argv[i], "--delay-us=", 11))
			delay_us = strtoul(argv[i] + 11, NULL, 0);
	}

	for (;;) {
		struct mbox_request req;
		struct mbox_reply reply;
		int pending = 0;

		if (read(0, &req, sizeof(req)) != sizeof(req))
			return 0;
		if (log_fd >= 0 && write(log_fd, &req, sizeof(req)) != sizeof(req))
			return 2;
		if (delay_us)
			usleep(delay_us);
		if (serial_check && (ioctl(0, FIONREAD, &pending) < 0 || pending != 0))
			return 3;
		reply.status = handle(&req);
		if (have_fault && req.cmd == fault_cmd) {
			(void)!write(1, &reply, sizeof(reply) / 2);
			return 0;
		}
		if (write(1, &reply, sizeof(reply)) != sizeof(reply))
			return 0;
	}
}
