/*
 * The C side of the calls benchmark (bench/calls.ts): the same ioctls the TS stubs issue, in a
 * tight loop, against the real /dev/kvm. Setup (VM, one 64 KiB memory slot, one vCPU) happens
 * once; then each batch request on stdin ("<op> <n>\n", op = api | setmem | getregs) runs n
 * calls and answers "<elapsed ns>\n" — one long-lived process, so the bench can interleave C
 * batches with the JS ones without paying a process start per round. Any failing call exits 1.
 *
 * Build (the bench does it): gcc -O2 -o kvm-calls bench/c/kvm-calls.c
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

int main(void)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die("open /dev/kvm");
	int vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		die("KVM_CREATE_VM");
	void *mem = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap");
	struct kvm_userspace_memory_region region = {
		.slot = 0, .flags = 0, .guest_phys_addr = 0, .memory_size = 0x10000,
		.userspace_addr = (unsigned long)mem,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		die("KVM_SET_USER_MEMORY_REGION");
	int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		die("KVM_CREATE_VCPU");

	char op[16];
	long n;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ready\n");
	while (scanf("%15s %ld", op, &n) == 2) {
		long long t0 = now_ns();
		if (strcmp(op, "api") == 0) {
			for (long i = 0; i < n; i++)
				if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
					die("KVM_GET_API_VERSION");
		} else if (strcmp(op, "setmem") == 0) {
			for (long i = 0; i < n; i++) {
				/* As the stub does: the argument is built per call. */
				struct kvm_userspace_memory_region r = region;
				if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r) < 0)
					die("KVM_SET_USER_MEMORY_REGION");
			}
		} else if (strcmp(op, "getregs") == 0) {
			struct kvm_regs regs;
			for (long i = 0; i < n; i++)
				if (ioctl(vcpu, KVM_GET_REGS, &regs) < 0)
					die("KVM_GET_REGS");
		} else {
			fprintf(stderr, "unknown op %s\n", op);
			return 2;
		}
		printf("%lld\n", now_ns() - t0);
	}
	return 0;
}
