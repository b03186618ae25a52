"""Provides every check on a path a user names: reading a file, writing one, each failure as one line.

Every option, dialog and command that reads or writes a file a user named comes
here (`--data`, `--load`, `--save`, `--log`, the settings' dataset, the runs
screen, the exports, the recovery checkpoint), so that each error the system
can raise for a path (not found, not a file, a directory, no permission, a name
too long, a loop or a dangling link, a read-only or full disk, another device)
becomes one sentence naming the file, never a traceback; and no write ever
goes through a symbolic link it did not create.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO


def N_(message: str) -> str:
    """Marks a sentence for the app's translation catalog (the engine itself only speaks English)."""
    return message


# The system's errors in words a user can act on; any other keeps the system's own wording.
REASONS = {
    errno.ENOENT: N_("no such file or directory"),
    errno.ENOTDIR: N_("a part of the path is a file, not a directory"),
    errno.EISDIR: N_("it is a directory"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.ENAMETOOLONG: N_("the name is too long for the system"),
    errno.ELOOP: N_("too many symbolic links (a loop, or a link where none may be)"),
    errno.EROFS: N_("the file system is read-only"),
    errno.ENOSPC: N_("no space left on the device"),
    errno.EDQUOT: N_("the disk quota is used up"),
    errno.EXDEV: N_("it is on another device"),
    errno.EFBIG: N_("the file would be too large"),
    errno.EMFILE: N_("too many open files"),
    errno.ENXIO: N_("no such device"),
}
READ_CHUNK = 1024 * 1024  # a file that grows while it is read is read on in chunks of this, up to the limit


class PathError(ValueError):
    """A path that cannot be used as asked; the message is one line naming it. `template` and `fields` are that
    sentence before its values went in, so the app can say it in another language."""

    def __init__(self, template: str, **fields: object) -> None:
        super().__init__(template.format(**fields) if fields else template)
        self.template, self.fields = template, fields


def reason(error: OSError) -> str:
    """What went wrong with a path, in words (never the errno tuple)."""
    return REASONS.get(error.errno or 0) or error.strerror or str(error)


def named(text: str | os.PathLike[str], what: str = N_("the path")) -> Path:
    """The path a user typed or passed, once it can name a file at all: not empty, no NUL character
    (which every system call refuses with a ValueError, not an OSError)."""
    value = os.fspath(text)
    if not value.strip():
        raise PathError("{what} is empty: give the name of a file", what=what)
    if "\0" in value:
        raise PathError("{what} {value} holds a NUL character, which no file name can", what=what, value=repr(value))
    return Path(value)


def read_capped(
    path: str | os.PathLike[str],
    limit: int,
    error: type[Exception],
    *,
    missing: str,
    directory: str,
    too_large: str,
) -> bytes:
    """The contents of the regular file `path`, if it holds at most `limit` bytes.

    Any problem raises `error(f"{path}: {reason}")`. `missing`, `directory` and
    `too_large` are the caller's reasons for those three cases; the others are
    this module's. The read reserves no more memory than the file holds (a
    20-byte file never costs the limit), and a file larger than the limit is
    refused by its size, unread.
    """
    try:
        path = named(path)
    except PathError as e:
        raise error(str(e)) from None
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            why = directory
        elif not stat.S_ISREG(info.st_mode):  # a FIFO would block, a device never end
            why = "not a regular file"
        elif info.st_size > limit:  # (a sparse 2 GB file too: its size says so, nothing is read)
            why = too_large
        else:
            with path.open("rb") as f:
                raw = _read_at_most(f, info.st_size, limit)
            if len(raw) <= limit:
                return raw
            why = too_large
    except FileNotFoundError:
        why = missing
    except IsADirectoryError:  # became a directory after the stat
        why = directory
    except PermissionError:
        why = "permission denied"
    except MemoryError:
        why = "not enough memory to read it"
    except OSError as e:
        why = f"cannot read ({reason(e)})"
    # Raised outside the except clauses, so no OSError is chained to the one line.
    raise error(f"{path}: {why}")


def _read_at_most(f: IO[bytes], size: int, limit: int) -> bytes:
    """Up to limit + 1 bytes (one past the limit tells "too large"), sized by the file, not the limit."""
    parts = [f.read(min(size, limit) + 1)]
    read = len(parts[0])
    while read <= limit and read > size:  # it grew since the stat: read on, a chunk at a time
        more = f.read(min(READ_CHUNK, limit + 1 - read))
        if not more:
            break
        parts.append(more)
        read += len(more)
    return b"".join(parts)


def folder_of(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def check_writable(path: str | os.PathLike[str], what: str = N_("the path")) -> Path:
    """`path` if a file can be written there now; otherwise PathError in one line saying why.

    Refused: an empty name, a directory, a symbolic link (a write would go through it, or replace it),
    anything but a regular file (a FIFO or a device), a folder that does not exist or is a file, and a
    folder this process cannot write in (tried for real: root ignores permission bits, a file system
    may be read-only).
    """
    target = named(path, what)
    folder = folder_of(target)
    try:
        folder_mode = os.stat(folder).st_mode
    except FileNotFoundError:
        raise PathError(
            "cannot write {target}: directory {folder} does not exist", target=target, folder=folder
        ) from None
    except OSError as e:
        raise PathError(
            "cannot write {target}: directory {folder}: {reason}", target=target, folder=folder, reason=reason(e)
        ) from None
    if not stat.S_ISDIR(folder_mode):
        raise PathError("cannot write {target}: {folder} is a file, not a directory", target=target, folder=folder)
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as e:
        raise PathError("cannot write {target}: {reason}", target=target, reason=reason(e)) from None
    if mode is not None:
        if stat.S_ISLNK(mode):
            raise PathError(
                "cannot write {target}: it is a symbolic link (give the file it points to, or a new name)",
                target=target,
            )
        if stat.S_ISDIR(mode):
            raise PathError("cannot write {target}: it is a directory", target=target)
        if not stat.S_ISREG(mode):  # a FIFO or a device would be replaced by a file
            raise PathError("cannot write {target}: not a regular file", target=target)
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".probe", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise PathError(
            "cannot write {target}: directory {folder} is not writable ({reason})",
            target=target,
            folder=folder,
            reason=reason(e),
        ) from None
    return target


def write_atomically(path: str | os.PathLike[str], write: Callable[[IO[str]], None]) -> Path:
    """Write a text file through `write(file)`: a temp file beside it, then a rename, so a failure or a
    kill part-way leaves any previous file whole. A file it replaces keeps its permissions and, where
    this process may set it, its owner. PathError (one line) on any failure; ValueError from `write`
    passes through."""
    target = check_writable(path)
    try:
        before: os.stat_result | None = os.stat(target)
    except OSError:
        before = None
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".tmp", dir=folder_of(target))
        os.chmod(tmp, stat.S_IMODE(before.st_mode) if before else _new_file_mode())  # mkstemp's is 0600
        if before is not None and (before.st_uid, before.st_gid) != (os.getuid(), os.getgid()):
            with contextlib.suppress(OSError):  # only root (or the owner, for the group) may
                os.chown(tmp, before.st_uid, before.st_gid)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
        tmp = None
    except OSError as e:
        raise PathError("cannot write {target}: {reason}", target=target, reason=reason(e)) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return target


def open_for_writing(path: str | os.PathLike[str]) -> IO[str]:
    """A text file at `path`, new or emptied, for writing as it goes (a log kept open over a run): never
    through a symbolic link, even one made after the check (O_NOFOLLOW). PathError when it cannot be opened."""
    target = check_writable(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(target, flags, 0o666)
    except OSError as e:
        raise PathError("cannot write {target}: {reason}", target=target, reason=reason(e)) from None
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


def _new_file_mode() -> int:
    """What a new file gets under the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name one file: by identity (device and inode), so a hard link
    or a symlink counts; by resolved path when either does not exist yet."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        try:
            return Path(a).resolve() == Path(b).resolve()
        except (OSError, RuntimeError, ValueError):  # a loop, a name too long: not the same as anything
            return False


def confined(path: str | os.PathLike[str], root: Path, what: str = N_("the path")) -> Path:
    """`path` read relative to `root`, if it stays inside it (no `..`, absolute path, `~` or symbolic link
    out of it): a browser user of `serve` may only reach the files of the session's own folder."""
    typed = named(path, what)
    target = typed if typed.is_absolute() else root / typed
    try:
        inside = target.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError) as e:
        raise PathError(
            "cannot use {typed}: {reason}", typed=typed, reason=reason(e) if isinstance(e, OSError) else str(e)
        ) from None
    if not inside:
        raise PathError(
            "{typed} is outside this session's folder {root}: give a name inside it", typed=typed, root=root
        )
    return target
