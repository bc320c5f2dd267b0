/*
 * shoal_netns: the two things Node cannot do for Shoal's overlay driver.
 *
 *   callIn(nsPath, fn)   runs fn() synchronously with the calling thread switched into the network
 *                        namespace at nsPath, then switches back. Any socket fn() creates (the netlink
 *                        package's socket(AF_NETLINK, ...)) belongs to that namespace for life.
 *   create(path)         creates a new network namespace and bind-mounts it at path (like
 *                        `ip netns add`); returns false when path already holds a namespace.
 *   remove(path)         unmounts (lazily) and unlinks such a file; missing is fine.
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
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
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

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"callIn", NULL, call_in, NULL, NULL, NULL, napi_default, NULL},
      {"create", NULL, create, NULL, NULL, NULL, napi_default, NULL},
      {"remove", NULL, remove_ns, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
