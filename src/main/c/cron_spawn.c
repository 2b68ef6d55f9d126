/*
 * Native half of io.cronexecutor.run.PosixSpawn.
 *
 * Java can only start a process as a member of the JVM's own process group, so putting each
 * command into a session of its own used to cost an extra exec of setsid(1) per run, on top of
 * the JDK's own jspawnhelper exec. posix_spawn(3) with POSIX_SPAWN_SETSID does it in the
 * vfork'd child before the one exec of the command itself.
 */
#define _GNU_SOURCE
#include <jni.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void throw_io(JNIEnv *env, const char *what, int error) {
    char message[512];
    snprintf(message, sizeof message, "%s: %s", what, strerror(error));
    jclass io = (*env)->FindClass(env, "java/io/IOException");
    if (io != NULL) {
        (*env)->ThrowNew(env, io, message);
    }
}

/* A NULL-terminated copy of a byte[][] whose elements each end with a zero byte. */
static char **copy_strings(JNIEnv *env, jobjectArray array) {
    jsize count = (*env)->GetArrayLength(env, array);
    char **strings = calloc((size_t) count + 1, sizeof(char *));
    if (strings == NULL) {
        return NULL;
    }
    for (jsize i = 0; i < count; i++) {
        jbyteArray bytes = (jbyteArray) (*env)->GetObjectArrayElement(env, array, i);
        jsize length = (*env)->GetArrayLength(env, bytes);
        strings[i] = malloc((size_t) length);
        if (strings[i] == NULL) {
            return strings; /* caller frees; the NULL entry ends the list early */
        }
        (*env)->GetByteArrayRegion(env, bytes, 0, length, (jbyte *) strings[i]);
        (*env)->DeleteLocalRef(env, bytes);
    }
    return strings;
}

static void free_strings(char **strings) {
    if (strings != NULL) {
        for (char **s = strings; *s != NULL; s++) {
            free(*s);
        }
        free(strings);
    }
}

static char *copy_bytes(JNIEnv *env, jbyteArray bytes) {
    jsize length = (*env)->GetArrayLength(env, bytes);
    char *copy = malloc((size_t) length);
    if (copy != NULL) {
        (*env)->GetByteArrayRegion(env, bytes, 0, length, (jbyte *) copy);
    }
    return copy;
}

/*
 * Starts program with argv and envp as the leader of a new session, stdin from stdinPath,
 * stdout and stderr into one pipe whose read end is stored into output (a FileDescriptor),
 * every other descriptor closed, every signal at its default action and none blocked.
 * Returns the pid, which is also the process group id, or minus the errno of a failed spawn
 * (the Java side decides what a failure means, e.g. a script without #! goes to /bin/sh).
 */
JNIEXPORT jint JNICALL Java_io_cronexecutor_run_PosixSpawn_spawn(JNIEnv *env, jclass cls, jbyteArray program,
        jobjectArray argv, jobjectArray envp, jbyteArray dir, jbyteArray stdinPath, jobject output) {
    (void) cls;
    /* Looked up first: once the command runs, nothing may fail before its pid is returned. */
    jfieldID fd = (*env)->GetFieldID(env, (*env)->GetObjectClass(env, output), "fd", "I");
    if (fd == NULL) {
        return -1;
    }
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
        throw_io(env, "cannot create the output pipe", errno);
        return -1;
    }
    char *path = copy_bytes(env, program);
    char *in = copy_bytes(env, stdinPath);
    char *cwd = dir == NULL ? NULL : copy_bytes(env, dir);
    char **args = copy_strings(env, argv);
    char **environment = copy_strings(env, envp);

    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);

    int error = 0;
    if (path == NULL || in == NULL || (dir != NULL && cwd == NULL) || args == NULL || environment == NULL) {
        error = ENOMEM;
    }
    if (!error) error = posix_spawn_file_actions_addopen(&actions, 0, in, O_RDONLY, 0);
    if (!error) error = posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
    if (!error) error = posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
    if (!error && cwd != NULL) error = posix_spawn_file_actions_addchdir_np(&actions, cwd);
    /* The JVM does not open everything close-on-exec; a command must not inherit its files. */
    if (!error) error = posix_spawn_file_actions_addclosefrom_np(&actions, 3);

    sigset_t none;
    sigset_t defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    /* Signals the server ignores (SIGHUP under nohup, say) must not stay ignored in commands. */
    for (int sig = 1; sig < SIGRTMIN; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP) {
            sigaddset(&defaults, sig);
        }
    }
    if (!error) error = posix_spawnattr_setsigmask(&attributes, &none);
    if (!error) error = posix_spawnattr_setsigdefault(&attributes, &defaults);
    if (!error) error = posix_spawnattr_setflags(&attributes,
            POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    pid_t pid = -1;
    if (!error) error = posix_spawn(&pid, path, &actions, &attributes, args, environment);

    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    close(pipe_fds[1]);
    free(path);
    free(in);
    free(cwd);
    free_strings(args);
    free_strings(environment);

    if (error) {
        close(pipe_fds[0]);
        return -error;
    }
    (*env)->SetIntField(env, output, fd, pipe_fds[0]);
    return pid;
}

/* Blocks until the group leader has exited, leaving it unreaped so its id stays pinned. */
JNIEXPORT void JNICALL Java_io_cronexecutor_run_PosixSpawn_awaitExited(JNIEnv *env, jclass cls, jint pid) {
    (void) cls;
    siginfo_t info;
    for (;;) {
        memset(&info, 0, sizeof info);
        if (waitid(P_PID, (id_t) pid, &info, WEXITED | WNOWAIT) == 0) {
            return;
        }
        if (errno != EINTR) {
            throw_io(env, "waitid", errno);
            return;
        }
    }
}

/*
 * Kills whatever an exited leader left running in its group while the unreaped leader still
 * pins the group id (so the signal cannot reach a recycled id), then reaps it. Returns the exit
 * code, or 128 + the signal number as Process.exitValue does.
 */
JNIEXPORT jint JNICALL Java_io_cronexecutor_run_PosixSpawn_reap(JNIEnv *env, jclass cls, jint pid) {
    (void) cls;
    kill(-pid, SIGKILL);
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            throw_io(env, "waitpid", errno);
            return -1;
        }
    }
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 255;
}

/* Signals every process of a group; a group that is already gone is not an error. */
JNIEXPORT void JNICALL Java_io_cronexecutor_run_PosixSpawn_signalGroup(JNIEnv *env, jclass cls, jint pgid,
        jint signal) {
    (void) cls;
    if (kill(-pgid, signal) != 0 && errno != ESRCH) {
        throw_io(env, "kill", errno);
    }
}

JNIEXPORT jstring JNICALL Java_io_cronexecutor_run_PosixSpawn_describeError(JNIEnv *env, jclass cls, jint error) {
    (void) cls;
    return (*env)->NewStringUTF(env, strerror(error));
}
