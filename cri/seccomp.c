/*
 * seccomp.c - the RuntimeDefault seccomp profile: an allowlist in the spirit of containerd's
 * and Docker's default profiles, written as our own table.
 *
 * DESIGN
 * Everything not listed fails with EPERM. The table has three parts: system calls any process
 * needs (file, memory, signal, socket, time, IPC, process calls); calls allowed only when the
 * container holds a capability that makes them meaningful (mount and namespaces with
 * CAP_SYS_ADMIN, ptrace with CAP_SYS_PTRACE, module loading with CAP_SYS_MODULE, ...); and
 * calls allowed with argument filters (clone without namespace flags, personality with the
 * usual personas only). clone3 cannot be filtered on its flags (they sit in a struct), so
 * without CAP_SYS_ADMIN it fails with ENOSYS, which makes libc fall back to clone.
 * Names unknown to the kernel or architecture are ignored by runc (libseccomp resolves them
 * per architecture), so one list serves every architecture.
 */
#include "cri/internal.h"
#include "lib/util.h"

#include <string.h>

static const char *const allowed[] = {
	/* files and directories */
	"access", "chdir", "chmod", "chown", "chown32", "close", "close_range", "copy_file_range",
	"creat", "dup", "dup2", "dup3", "faccessat", "faccessat2", "fadvise64", "fadvise64_64",
	"fallocate", "fchdir", "fchmod", "fchmodat", "fchmodat2", "fchown", "fchown32",
	"fchownat", "fcntl", "fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock",
	"fremovexattr", "fsetxattr", "fstat", "fstat64", "fstatat64", "fstatfs", "fstatfs64",
	"fsync", "ftruncate", "ftruncate64", "futimesat", "getcwd", "getdents", "getdents64",
	"getxattr", "inotify_add_watch", "inotify_init", "inotify_init1", "inotify_rm_watch",
	"ioctl", "lchown", "lchown32", "lgetxattr", "link", "linkat", "listxattr", "llistxattr",
	"_llseek", "lremovexattr", "lseek", "lsetxattr", "lstat", "lstat64", "mkdir", "mkdirat",
	"mknod", "mknodat", "newfstatat", "open", "openat", "openat2", "pread64", "preadv",
	"preadv2", "pwrite64", "pwritev", "pwritev2", "read", "readahead", "readlink",
	"pipe", "pipe2", "readlinkat", "readv", "removexattr", "rename", "renameat", "renameat2",
	"rmdir",
	"sendfile", "sendfile64", "setxattr", "splice", "stat", "stat64", "statfs", "statfs64",
	"statx", "symlink", "symlinkat", "sync", "sync_file_range", "sync_file_range2",
	"arm_sync_file_range", "arm_fadvise64_64", "syncfs", "tee", "truncate", "truncate64",
	"umask", "unlink", "unlinkat", "utime", "utimensat", "utimensat_time64", "utimes",
	"vmsplice", "write", "writev", "fanotify_mark", "memfd_create", "landlock_add_rule",
	"landlock_create_ruleset", "landlock_restrict_self",
	/* asynchronous I/O and polling */
	"epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait",
	"epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2", "io_cancel",
	"io_destroy", "io_getevents", "io_pgetevents", "io_pgetevents_time64", "io_setup",
	"io_submit", "ioprio_get", "ioprio_set", "poll", "ppoll", "ppoll_time64", "pselect6",
	"pselect6_time64", "select", "_newselect", "signalfd", "signalfd4", "timerfd_create",
	"timerfd_gettime", "timerfd_gettime64", "timerfd_settime", "timerfd_settime64",
	/* memory */
	"brk", "madvise", "membarrier", "mincore", "mlock", "mlock2", "mlockall", "mmap", "mmap2",
	"mprotect", "mremap", "msync", "munlock", "munlockall", "munmap", "pkey_alloc",
	"pkey_free", "pkey_mprotect", "remap_file_pages", "map_shadow_stack", "memfd_secret",
	"cachestat",
	/* processes, threads, signals */
	"arch_prctl", "capget", "capset", "execve", "execveat", "exit", "exit_group", "fork",
	"futex", "futex_requeue", "futex_time64", "futex_wait", "futex_waitv", "futex_wake",
	"get_robust_list", "get_thread_area", "getcpu", "getegid", "getegid32", "geteuid",
	"geteuid32", "getgid", "getgid32", "getgroups", "getgroups32", "getitimer", "getpgid",
	"getpgrp", "getpid", "getppid", "getpriority", "getrandom", "getresgid", "getresgid32",
	"getresuid", "getresuid32", "getrlimit", "getrusage", "getsid", "gettid", "getuid",
	"getuid32", "kill", "modify_ldt", "pause", "pidfd_open", "pidfd_send_signal", "prctl",
	"prlimit64", "process_mrelease", "restart_syscall", "rseq", "rt_sigaction",
	"rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend",
	"rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sched_get_priority_max",
	"sched_get_priority_min", "sched_getaffinity", "sched_getattr", "sched_getparam",
	"sched_getscheduler", "sched_rr_get_interval", "sched_rr_get_interval_time64",
	"sched_setaffinity", "sched_setattr", "sched_setparam", "sched_setscheduler",
	"sched_yield", "seccomp", "set_robust_list", "set_thread_area", "set_tid_address",
	"set_tls", "setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setgid", "setgid32",
	"setgroups", "setgroups32", "setitimer", "setpgid", "setpriority", "setregid",
	"setregid32", "setresgid", "setresgid32", "setresuid", "setresuid32", "setreuid",
	"setreuid32", "setrlimit", "setsid", "setuid", "setuid32", "sigaltstack", "sigprocmask",
	"sigreturn", "tgkill", "tkill", "ugetrlimit", "vfork", "wait4", "waitid", "waitpid",
	"breakpoint", "cacheflush", "riscv_flush_icache",
	/* time */
	"alarm", "clock_getres", "clock_getres_time64", "clock_gettime", "clock_gettime64",
	"clock_nanosleep", "clock_nanosleep_time64", "gettimeofday", "nanosleep", "time",
	"timer_create", "timer_delete", "timer_getoverrun", "timer_gettime", "timer_gettime64",
	"timer_settime", "timer_settime64", "times",
	/* sockets */
	"accept", "accept4", "bind", "connect", "getpeername", "getsockname", "getsockopt",
	"listen", "recv", "recvfrom", "recvmmsg", "recvmmsg_time64", "recvmsg", "send",
	"sendmmsg", "sendmsg", "sendto", "setsockopt", "shutdown", "socket", "socketcall",
	"socketpair",
	/* System V and POSIX IPC */
	"ipc", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
	"mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64", "mq_unlink", "msgctl",
	"msgget", "msgrcv", "msgsnd", "semctl", "semget", "semop", "semtimedop",
	"semtimedop_time64", "shmat", "shmctl", "shmdt", "shmget",
	/* system information */
	"sysinfo", "uname",
};

/* Calls allowed when the container has a capability. */
static const struct {
	const char *cap;
	const char *calls[20];
} by_cap[] = {
	{ "SYS_ADMIN", { "bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount",
			 "fsopen", "fspick", "lookup_dcookie", "mount", "mount_setattr",
			 "move_mount", "open_tree", "perf_event_open", "quotactl", "quotactl_fd",
			 "setdomainname", "sethostname", "setns", "syslog" } },
	{ "SYS_ADMIN", { "umount", "umount2", "unshare" } },
	{ "SYS_BOOT", { "reboot" } },
	{ "SYS_CHROOT", { "chroot" } },
	{ "SYS_MODULE", { "delete_module", "init_module", "finit_module" } },
	{ "SYS_PACCT", { "acct" } },
	{ "SYS_PTRACE", { "kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv",
			  "process_vm_writev", "ptrace" } },
	{ "SYS_RAWIO", { "iopl", "ioperm" } },
	{ "SYS_TIME", { "settimeofday", "stime", "clock_settime", "clock_settime64",
			"adjtimex", "clock_adjtime", "clock_adjtime64" } },
	{ "SYS_TTY_CONFIG", { "vhangup" } },
	{ "SYS_NICE", { "get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node" } },
	{ "SYSLOG", { "syslog" } },
	{ "BPF", { "bpf" } },
	{ "PERFMON", { "perf_event_open" } },
	{ "DAC_READ_SEARCH", { "open_by_handle_at", "name_to_handle_at" } },
};

/* CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID
 * | CLONE_NEWNET */
#define NS_FLAGS 0x7E020000ULL

static cJSON *rule(const char *const *names, size_t n, const char *action)
{
	cJSON *r = cJSON_CreateObject();
	cJSON *a = cJSON_AddArrayToObject(r, "names");
	for (size_t i = 0; i < n && names[i]; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(names[i]));
	cJSON_AddStringToObject(r, "action", action);
	return r;
}

static int has_name(const cJSON *names, const char *name)
{
	const cJSON *n;
	cJSON_ArrayForEach(n, names)
		if (cJSON_IsString(n) && !strcmp(n->valuestring, name))
			return 1;
	return 0;
}

static cJSON *arg(unsigned index, unsigned long long value, unsigned long long two, const char *op)
{
	cJSON *a = cJSON_CreateObject();
	cJSON_AddNumberToObject(a, "index", index);
	cJSON_AddNumberToObject(a, "value", (double)value);
	cJSON_AddNumberToObject(a, "valueTwo", (double)two);
	cJSON_AddStringToObject(a, "op", op);
	return a;
}

/* personality(2) with the personas programs use; clone(2) without namespace flags. */
static void filtered(cJSON *calls, uint64_t caps, const char *arch)
{
	static const unsigned long long personas[] = { 0x0, 0x8, 0x20000, 0x20008, 0xffffffff };
	static const char *const personality[] = { "personality" };
	for (size_t i = 0; i < ARRAY_SIZE(personas); i++) {
		cJSON *r = rule(personality, 1, "SCMP_ACT_ALLOW");
		cJSON *args = cJSON_AddArrayToObject(r, "args");
		cJSON_AddItemToArray(args, arg(0, personas[i], 0, "SCMP_CMP_EQ"));
		cJSON_AddItemToArray(calls, r);
	}
	if (caps & cri_cap_parse("SYS_ADMIN", 0))
		return;
	static const char *const clone[] = { "clone" }, *const clone3[] = { "clone3" };
	cJSON *r = rule(clone, 1, "SCMP_ACT_ALLOW");
	cJSON *args = cJSON_AddArrayToObject(r, "args");
	/* s390 passes the flags second. */
	unsigned idx = arch && !strncmp(arch, "s390", 4) ? 1 : 0;
	cJSON_AddItemToArray(args, arg(idx, 0, NS_FLAGS, "SCMP_CMP_MASKED_EQ"));
	cJSON_AddItemToArray(calls, r);
	r = rule(clone3, 1, "SCMP_ACT_ERRNO");
	cJSON_AddNumberToObject(r, "errnoRet", 38 /* ENOSYS */);
	cJSON_AddItemToArray(calls, r);
}

static const char *const *architectures(const char *arch)
{
	static const char *const amd64[] = { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32",
					     NULL };
	static const char *const arm64[] = { "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", NULL };
	static const char *const arm[] = { "SCMP_ARCH_ARM", NULL };
	static const char *const x86[] = { "SCMP_ARCH_X86", NULL };
	static const char *const riscv64[] = { "SCMP_ARCH_RISCV64", NULL };
	static const char *const ppc64le[] = { "SCMP_ARCH_PPC64LE", NULL };
	static const char *const s390x[] = { "SCMP_ARCH_S390X", "SCMP_ARCH_S390", NULL };
	static const struct {
		const char *go;
		const char *const *scmp;
	} map[] = { { "amd64", amd64 }, { "arm64", arm64 }, { "arm", arm }, { "386", x86 },
		    { "riscv64", riscv64 }, { "ppc64le", ppc64le }, { "s390x", s390x } };
	for (size_t i = 0; arch && i < ARRAY_SIZE(map); i++)
		if (!strcmp(map[i].go, arch))
			return map[i].scmp;
	return NULL;
}

cJSON *cri_seccomp_default(uint64_t caps, const char *arch)
{
	cJSON *s = cJSON_CreateObject();
	cJSON_AddStringToObject(s, "defaultAction", "SCMP_ACT_ERRNO");
	cJSON_AddNumberToObject(s, "defaultErrnoRet", 1 /* EPERM */);
	const char *const *arches = architectures(arch);
	if (arches) {
		cJSON *a = cJSON_AddArrayToObject(s, "architectures");
		for (size_t i = 0; arches[i]; i++)
			cJSON_AddItemToArray(a, cJSON_CreateString(arches[i]));
	}
	cJSON *calls = cJSON_AddArrayToObject(s, "syscalls");
	cJSON_AddItemToArray(calls, rule(allowed, ARRAY_SIZE(allowed), "SCMP_ACT_ALLOW"));
	/* One rule for the capability-dependent calls, each name once (libseccomp may refuse a
	 * rule added twice). */
	cJSON *extra = rule(NULL, 0, "SCMP_ACT_ALLOW");
	cJSON *names = cJSON_GetObjectItemCaseSensitive(extra, "names");
	for (size_t i = 0; i < ARRAY_SIZE(by_cap); i++) {
		if (!(caps & cri_cap_parse(by_cap[i].cap, 0)))
			continue;
		for (size_t j = 0; j < ARRAY_SIZE(by_cap[i].calls) && by_cap[i].calls[j]; j++)
			if (!has_name(names, by_cap[i].calls[j]))
				cJSON_AddItemToArray(names, cJSON_CreateString(by_cap[i].calls[j]));
	}
	if (cJSON_GetArraySize(names))
		cJSON_AddItemToArray(calls, extra);
	else
		cJSON_Delete(extra);
	filtered(calls, caps, arch);
	return s;
}
