/*
 * A C client for the benchmark: the manager's side of umd_send_recv, done in C. It creates the
 * two pipes, fork+execs the bpfilter handler with them as its fd 0/1, runs the post_start health
 * check ({ .pid = getpid() } must get status 0), then N request/reply round trips, each a full
 * write of struct mbox_request and a looped read of struct mbox_reply. Prints "<N> round trips
 * in <s> s: <msgs/s> msgs/s" and exits 0, or exits 1 on any short transfer or wrong status.
 *
 * Build: gcc -O2 -I generated/c -o client examples/umd/client.c
 * Run:   ./client /path/to/handler [N]
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <net/bpfilter/msgfmt.h>

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n <= 0)
			return -EFAULT;
		p += n, len -= n;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len) {
		ssize_t n = read(fd, p, len);
		if (n <= 0)
			return -EFAULT;
		p += n, len -= n;
	}
	return 0;
}

static int send_recv(int to, int from, const struct mbox_request *req, struct mbox_reply *reply)
{
	int err = write_all(to, req, sizeof(*req));
	return err ? err : read_all(from, reply, sizeof(*reply));
}

int main(int argc, char **argv)
{
	int to_umd[2], from_umd[2], status;
	long n = argc > 2 ? atol(argv[2]) : 100000;
	struct mbox_request req = { .pid = (__u32)getpid() };
	struct mbox_reply reply;
	struct timespec t0, t1;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: %s HANDLER [N]\n", argv[0]);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (pipe2(to_umd, O_CLOEXEC) || pipe2(from_umd, O_CLOEXEC))
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		char *child_argv[] = { "bpfilter_umh", NULL };
		dup2(to_umd[0], 0);
		dup2(from_umd[1], 1);
		execv(argv[1], child_argv);
		_exit(127);
	}
	close(to_umd[0]);
	close(from_umd[1]);

	/* post_start */
	if (send_recv(to_umd[1], from_umd[0], &req, &reply) || reply.status != 0) {
		fprintf(stderr, "health check failed\n");
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return 1;
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++) {
		req.cmd = 0;
		if (send_recv(to_umd[1], from_umd[0], &req, &reply) || reply.status != 0) {
			fprintf(stderr, "round trip %ld failed\n", i);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%ld round trips in %.3f s: %.0f msgs/s\n", n, s, n / s);

	/* Closing the request pipe is the handler's signal to exit (its read returns 0). */
	close(to_umd[1]);
	close(from_umd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
