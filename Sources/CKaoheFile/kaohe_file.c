#include "kaohe_file.h"

#include <sys/stat.h>

static void fill(const struct stat *st, kh_file_status *out) {
    switch (st->st_mode & S_IFMT) {
    case S_IFREG: out->kind = KH_FILE_REGULAR; break;
    case S_IFDIR: out->kind = KH_FILE_DIRECTORY; break;
    case S_IFCHR: out->kind = KH_FILE_CHARACTER_DEVICE; break;
    case S_IFBLK: out->kind = KH_FILE_BLOCK_DEVICE; break;
    case S_IFIFO: out->kind = KH_FILE_FIFO; break;
    case S_IFSOCK: out->kind = KH_FILE_SOCKET; break;
    case S_IFLNK: out->kind = KH_FILE_SYMBOLIC_LINK; break;
    default: out->kind = KH_FILE_OTHER; break;
    }
    out->device = (uint64_t)st->st_dev;
    out->inode = (uint64_t)st->st_ino;
    out->size = (int64_t)st->st_size;
}

int kh_path_status(const char *path, int follow_links, kh_file_status *out) {
    struct stat st;
    if ((follow_links ? stat(path, &st) : lstat(path, &st)) != 0) return -1;
    fill(&st, out);
    return 0;
}

int kh_fd_status(int fd, kh_file_status *out) {
    struct stat st;
    if (fstat(fd, &st) != 0) return -1;
    fill(&st, out);
    return 0;
}
