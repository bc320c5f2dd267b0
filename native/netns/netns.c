/*
 * shoal_netns: the two things Node cannot do for Shoal's overlay driver.
 *
 *   callIn(nsPath, fn)   runs fn() synchronously with the calling thread switched into the network
 *                        namespace at nsPath, then switches back. Any socket fn() creates (the netlink
 *                        package's socket(AF_NETLINK, ...)) belongs to that namespace for life.
 *   create(path)         creates a new network namespace and bind-mounts it at path (like
 *                        `ip netns add`); returns false when path already holds a namespace.
 *   remove(path)         unmounts (lazily) and unlinks such a file; missing is fine.
 *   socketIn(nsPath, type, ip, port)
 *                        an IPv4 socket ("tcp" or "udp") made inside the namespace and bound to ip:port
 *                        (SO_REUSEADDR; port 0 = any): returns its fd, for Node's `listen({fd})`,
 *                        `bind({fd})` or `new net.Socket({fd}).connect(...)`. Not listening yet.
 *   tapIn(nsPath, name)  a TAP device (IFF_TAP | IFF_NO_PI) made inside the namespace: returns the
 *                        fd of its queue (blocking; one Ethernet frame per read/write). The device
 *                        goes away with the last fd or the namespace.
 *   readFrames(fd, cb)   reads the fd (a TAP queue) on a thread of its own, calling cb(frame, null)
 *                        on the JS thread for each read (a Buffer), and cb(null, errno) once when a
 *                        read fails (the device was deleted) or returns 0; then the thread ends. Reads
 *                        wait when 256 frames are queued for JS (the kernel queue then drops). The
 *                        caller keeps and closes the fd after the end call. Keeps Node's event loop
 *                        alive until then.
 *
 * setns/unshare(CLONE_NEWNET) act on the calling thread only, so libuv's pool threads never change
 * namespace. If switching back fails the process would carry on in the wrong namespace, silently
 * acting on the wrong interfaces: we abort() instead.
 *
 * Errors are thrown as Error objects whose .code is the errno name (ENOENT, EPERM, ...).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <node_api.h>

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif
#define PATH_MAX_LEN 4096

static const char *errno_name(int e) {
  switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case EEXIST: return "EEXIST";
    case EINVAL: return "EINVAL";
    case ENOTDIR: return "ENOTDIR";
    case EBUSY: return "EBUSY";
    case EMFILE: return "EMFILE";
    case ENOMEM: return "ENOMEM";
    case ENOSPC: return "ENOSPC";
    case EROFS: return "EROFS";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case EUSERS: return "EUSERS";
    case EADDRINUSE: return "EADDRINUSE";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case EBADF: return "EBADF";
    default: return "EUNKNOWN";
  }
}

static napi_value throw_errno(napi_env env, int e, const char *what, const char *path) {
  char msg[PATH_MAX_LEN + 256];
  snprintf(msg, sizeof msg, "%s %s: %s", what, path, strerror(e));
  napi_throw_error(env, errno_name(e), msg);
  return NULL;
}

/* Reads argument i as a string into buf; throws and returns 0 when it is not one. */
static int get_path(napi_env env, napi_value v, char *buf) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, buf, PATH_MAX_LEN, &len) != napi_ok || len == 0 ||
      len >= PATH_MAX_LEN - 1) {
    napi_throw_type_error(env, "EINVAL", "expected a non-empty path string");
    return 0;
  }
  return 1;
}

static void restore_or_abort(int self_fd) {
  if (setns(self_fd, CLONE_NEWNET) != 0) {
    fprintf(stderr, "shoal_netns: cannot return to the original network namespace (%s); aborting\n",
            strerror(errno));
    abort();
  }
  close(self_fd);
}

static napi_value call_in(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], global, result = NULL;
  char path[PATH_MAX_LEN];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2) {
    napi_throw_type_error(env, "EINVAL", "callIn(nsPath, fn) takes two arguments");
    return NULL;
  }
  if (!get_path(env, argv[0], path)) return NULL;
  napi_valuetype fn_type;
  if (napi_typeof(env, argv[1], &fn_type) != napi_ok || fn_type != napi_function) {
    napi_throw_type_error(env, "EINVAL", "callIn(nsPath, fn): fn must be a function");
    return NULL;
  }
  int self_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (self_fd < 0) return throw_errno(env, errno, "open", "/proc/thread-self/ns/net");
  int target = open(path, O_RDONLY | O_CLOEXEC);
  if (target < 0) {
    int e = errno;
    close(self_fd);
    return throw_errno(env, e, "open network namespace", path);
  }
  if (setns(target, CLONE_NEWNET) != 0) {
    int e = errno;
    close(target);
    close(self_fd);
    return throw_errno(env, e, "setns into", path);
  }
  close(target);
  napi_get_global(env, &global);
  /* If fn throws, the exception stays pending and propagates once we return NULL. */
  napi_status st = napi_call_function(env, global, argv[1], 0, NULL, &result);
  restore_or_abort(self_fd);
  return st == napi_ok ? result : NULL;
}

static int is_netns_mount(const char *path) {
  struct statfs s;
  return statfs(path, &s) == 0 && (unsigned long)s.f_type == (unsigned long)NSFS_MAGIC;
}

static napi_value create(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], out;
  char path[PATH_MAX_LEN];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1 || !get_path(env, argv[0], path)) return NULL;
  if (is_netns_mount(path)) {
    napi_get_boolean(env, false, &out);
    return out;
  }
  int fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0444);
  if (fd < 0) return throw_errno(env, errno, "create namespace file", path);
  close(fd);
  int self_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (self_fd < 0) return throw_errno(env, errno, "open", "/proc/thread-self/ns/net");
  if (unshare(CLONE_NEWNET) != 0) {
    int e = errno;
    close(self_fd);
    unlink(path);
    return throw_errno(env, e, "unshare(CLONE_NEWNET) for", path);
  }
  int rc = mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL);
  int e = errno;
  restore_or_abort(self_fd);
  if (rc != 0) {
    unlink(path);
    return throw_errno(env, e, "bind-mount network namespace at", path);
  }
  napi_get_boolean(env, true, &out);
  return out;
}

static napi_value remove_ns(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], out;
  char path[PATH_MAX_LEN];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1 || !get_path(env, argv[0], path)) return NULL;
  if (umount2(path, MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT)
    return throw_errno(env, errno, "unmount network namespace", path);
  if (unlink(path) != 0 && errno != ENOENT) return throw_errno(env, errno, "unlink", path);
  napi_get_undefined(env, &out);
  return out;
}

/* Opens nsPath and switches this thread into it; returns the fd to restore_or_abort() with, or -1 (thrown). */
static int enter_ns(napi_env env, const char *path) {
  int self_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (self_fd < 0) {
    throw_errno(env, errno, "open", "/proc/thread-self/ns/net");
    return -1;
  }
  int target = open(path, O_RDONLY | O_CLOEXEC);
  if (target < 0) {
    int e = errno;
    close(self_fd);
    throw_errno(env, e, "open network namespace", path);
    return -1;
  }
  if (setns(target, CLONE_NEWNET) != 0) {
    int e = errno;
    close(target);
    close(self_fd);
    throw_errno(env, e, "setns into", path);
    return -1;
  }
  close(target);
  return self_fd;
}

static napi_value socket_in(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4], out;
  char path[PATH_MAX_LEN], type[8], ip[64];
  size_t len = 0;
  int32_t port = -1;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 4 || !get_path(env, argv[0], path)) {
    if (argc < 4) napi_throw_type_error(env, "EINVAL", "socketIn(nsPath, type, ip, port) takes four arguments");
    return NULL;
  }
  if (napi_get_value_string_utf8(env, argv[1], type, sizeof type, &len) != napi_ok ||
      (strcmp(type, "tcp") != 0 && strcmp(type, "udp") != 0)) {
    napi_throw_type_error(env, "EINVAL", "socketIn: type must be \"tcp\" or \"udp\"");
    return NULL;
  }
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  if (napi_get_value_string_utf8(env, argv[2], ip, sizeof ip, &len) != napi_ok ||
      inet_pton(AF_INET, ip, &addr.sin_addr) != 1) {
    napi_throw_type_error(env, "EINVAL", "socketIn: ip must be an IPv4 address");
    return NULL;
  }
  if (napi_get_value_int32(env, argv[3], &port) != napi_ok || port < 0 || port > 65535) {
    napi_throw_type_error(env, "EINVAL", "socketIn: port must be 0-65535");
    return NULL;
  }
  addr.sin_port = htons((uint16_t)port);
  int self_fd = enter_ns(env, path);
  if (self_fd < 0) return NULL;
  int tcp = strcmp(type, "tcp") == 0;
  int fd = socket(AF_INET, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
  int e = errno;
  if (fd >= 0) {
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
      e = errno;
      close(fd);
      fd = -1;
    }
  }
  restore_or_abort(self_fd);
  if (fd < 0) return throw_errno(env, e, "socket bound in", path);
  napi_create_int32(env, fd, &out);
  return out;
}

static napi_value tap_in(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], out;
  char path[PATH_MAX_LEN], name[IFNAMSIZ + 1];
  size_t len = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 2 || !get_path(env, argv[0], path)) {
    if (argc < 2) napi_throw_type_error(env, "EINVAL", "tapIn(nsPath, name) takes two arguments");
    return NULL;
  }
  if (napi_get_value_string_utf8(env, argv[1], name, sizeof name, &len) != napi_ok || len == 0 ||
      len >= IFNAMSIZ) {
    napi_throw_type_error(env, "EINVAL", "tapIn: name must be 1-15 characters");
    return NULL;
  }
  int self_fd = enter_ns(env, path);
  if (self_fd < 0) return NULL;
  int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
  int e = errno;
  if (fd >= 0) {
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    memcpy(ifr.ifr_name, name, len);
    if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
      e = errno;
      close(fd);
      fd = -1;
    }
  }
  restore_or_abort(self_fd);
  if (fd < 0) return throw_errno(env, e, "TAP device in", path);
  napi_create_int32(env, fd, &out);
  return out;
}

typedef struct {
  int fd;
  napi_threadsafe_function tsfn;
  pthread_t thread;
} frame_reader;

typedef struct {
  ssize_t len;
  int err;
  unsigned char data[];
} frame_msg;

static void *frame_reader_main(void *arg) {
  frame_reader *r = arg;
  static __thread unsigned char buf[65536];
  for (;;) {
    ssize_t n = read(r->fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    int e = n < 0 ? errno : 0;
    frame_msg *m = malloc(sizeof *m + (n > 0 ? (size_t)n : 0));
    if (m == NULL) break;
    m->len = n;
    m->err = e;
    if (n > 0) memcpy(m->data, buf, (size_t)n);
    if (napi_call_threadsafe_function(r->tsfn, m, napi_tsfn_blocking) != napi_ok) {
      free(m);
      break;
    }
    if (n <= 0) break;
  }
  napi_release_threadsafe_function(r->tsfn, napi_tsfn_release);
  return NULL;
}

static void frame_reader_call_js(napi_env env, napi_value cb, void *ctx, void *data) {
  (void)ctx;
  frame_msg *m = data;
  if (env != NULL && cb != NULL) {
    napi_value argv[2], undef;
    napi_get_undefined(env, &undef);
    if (m->len > 0) {
      void *copy;
      napi_create_buffer_copy(env, (size_t)m->len, m->data, &copy, &argv[0]);
      napi_get_null(env, &argv[1]);
    } else {
      napi_get_null(env, &argv[0]);
      napi_create_int32(env, m->err, &argv[1]);
    }
    napi_call_function(env, undef, cb, 2, argv, NULL);
  }
  free(m);
}

static void frame_reader_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  frame_reader *r = data;
  pthread_join(r->thread, NULL);
  free(r);
}

static napi_value read_frames(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], name, out;
  int32_t fd = -1;
  napi_valuetype t;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 2 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0 ||
      napi_typeof(env, argv[1], &t) != napi_ok || t != napi_function) {
    napi_throw_type_error(env, "EINVAL", "readFrames(fd, cb) takes a file descriptor and a function");
    return NULL;
  }
  frame_reader *r = calloc(1, sizeof *r);
  if (r == NULL) return throw_errno(env, ENOMEM, "readFrames", "");
  r->fd = fd;
  napi_create_string_utf8(env, "shoal_frame_reader", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, argv[1], NULL, name, 256, 1, r, frame_reader_finalize, NULL,
                                      frame_reader_call_js, &r->tsfn) != napi_ok) {
    free(r);
    napi_throw_error(env, "EUNKNOWN", "readFrames: cannot create the threadsafe function");
    return NULL;
  }
  int e = pthread_create(&r->thread, NULL, frame_reader_main, r);
  if (e != 0) {
    /* no thread: release our reference; the finalizer must not join, so leak-free path by hand */
    r->thread = pthread_self();
    napi_release_threadsafe_function(r->tsfn, napi_tsfn_abort);
    return throw_errno(env, e, "readFrames: pthread_create", "");
  }
  napi_get_undefined(env, &out);
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"callIn", NULL, call_in, NULL, NULL, NULL, napi_default, NULL},
      {"create", NULL, create, NULL, NULL, NULL, napi_default, NULL},
      {"remove", NULL, remove_ns, NULL, NULL, NULL, napi_default, NULL},
      {"socketIn", NULL, socket_in, NULL, NULL, NULL, napi_default, NULL},
      {"tapIn", NULL, tap_in, NULL, NULL, NULL, napi_default, NULL},
      {"readFrames", NULL, read_frames, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
