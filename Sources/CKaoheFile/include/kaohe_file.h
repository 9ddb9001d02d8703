#ifndef KAOHE_FILE_H
#define KAOHE_FILE_H

#include <stdint.h>

/// What `stat` says of a file, in a struct of kaohe's own. In C because on Linux which Swift module owns
/// `struct stat` depends on which headers happened to include <sys/stat.h> first (Glibc, CoreFoundation,
/// CDispatch…), and MemberImportVisibility asks for that module's import.
enum {
    KH_FILE_REGULAR = 1, KH_FILE_DIRECTORY, KH_FILE_CHARACTER_DEVICE, KH_FILE_BLOCK_DEVICE, KH_FILE_FIFO,
    KH_FILE_SOCKET, KH_FILE_SYMBOLIC_LINK, KH_FILE_OTHER
};

typedef struct {
    int kind;
    uint64_t device;
    uint64_t inode;
    int64_t size;
} kh_file_status;

/// stat (follow_links != 0) or lstat of `path`; 0 when it succeeded, else -1 with errno set.
int kh_path_status(const char *path, int follow_links, kh_file_status *out);

/// fstat of the open file `fd`; 0 when it succeeded, else -1 with errno set.
int kh_fd_status(int fd, kh_file_status *out);

#endif
