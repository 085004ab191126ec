"""Finding and reading source files, safely: nothing is silently skipped, nothing hangs.

A source folder may hold files from many authors' editors and checkouts:
other extensions, lock files, symlinks, even FIFOs. Every file is either read,
skipped for a stated reason (hidden files such as `.#x.md` editor locks and
`x.md~` backups), or reported as `path: error: …`.
"""
from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from generator.errors import Reporter


@dataclass(frozen=True)
class Kind:
    folder: str  # relative to the project root
    what: str  # for messages
    suffixes: tuple[str, ...]  # accepted, compared case-insensitively; the first is the usual one
    page: str  # the page kind a review scope names: topic, glossary, protocol
    required: bool = False  # an absent or empty folder is an error


TOPICS = Kind("content/topics", "topic", (".md", ".markdown"), "topic", required=True)
GLOSSARY = Kind("glossary", "glossary term", (".yml", ".yaml"), "glossary")
PROTOCOLS = Kind("content/protocols", "protocol", (".yml", ".yaml"), "protocol")


def _skipped(name: str) -> bool:
    return name.startswith(".") or name.endswith("~")


# Folders whose files are published as they are (MkDocs copies docs/ into the site; overrides/
# holds the theme's templates). Like the source folders, nothing in them may lead outside.
PUBLISHED_TREES = ("docs", "overrides")


def escape(root: Path, path: Path) -> str | None:
    """Why `path` (a file or folder named inside `root`) is not really inside the project, or None.

    Every folder on the way is followed, not only the last name: `glossary -> /elsewhere` makes
    `glossary/a.yml` a file outside the project although `a.yml` itself is no link. A link into
    one of the project's hidden folders (.git holds CI's credentials, .cache and .venv the
    tool's) is refused too: nothing there is meant to be published."""
    top = root.resolve()
    target = path.resolve()
    try:
        inside = target.relative_to(top)
    except ValueError:
        inside = None
    if inside is not None and not any(part.startswith(".") for part in inside.parts[:-1] or inside.parts):
        return None
    link = next((p for p in [*reversed(path.parents), path] if p.is_symlink()
                 and p.is_relative_to(root) and p != root), path)
    how = "is a symbolic link" if link == path else f"is under the symbolic link {link.relative_to(root)}, so it leads"
    if inside is None:
        return f"{how} to {target}, outside the project; sources and published files must live inside it"
    return f"{how} into the project's hidden folder {inside.parts[0]}/ ({target}); nothing there may be published"


# JabRef's first line, "% Encoding: ISO8859_1": how a bibliography that is not UTF-8 says what it is.
_DECLARED = re.compile(rb"\A(?:[^\n]*\n){0,4}?[ \t]*%+[ \t]*Encoding:[ \t]*([A-Za-z0-9_.:-]{1,40})")


def read_text(rep: Reporter, path: Path, root: Path | None = None, eight_bit: bool = False) -> str | None:
    """A source file's text (UTF-8, a BOM allowed), or None after reporting why not. With
    `eight_bit` (a BibTeX file, which TeX reads as bytes), text that is not UTF-8 is read in the
    encoding its JabRef header declares, else as Latin-1 with a warning."""
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode) and not path.exists():
            rep.error(path, 0, "is a symbolic link to a file that does not exist")
            return None
        if root is not None and (why := escape(root, path)):
            rep.error(path, 0, why)
            return None
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            rep.error(path, 0, "is a directory, not a source file")
            return None
        if not stat.S_ISREG(info.st_mode):
            # A FIFO or device would block the build forever on open().
            rep.error(path, 0, "is not a regular file (a pipe, socket or device); sources are plain files")
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        rep.error(path, 0, f"cannot read: {exc.strerror or exc.__class__.__name__}")
        return None
    try:
        # One spelling of each character: `café` typed on macOS (NFD) and on Windows (NFC) is the
        # same key, slug and name, so two such entries are reported as the duplicates they are.
        return unicodedata.normalize("NFC", data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if not eight_bit:
            rep.error(path, line, f"is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8")
            return None
        declared = _DECLARED.match(data)
        if declared:
            try:
                return unicodedata.normalize("NFC", data.decode(declared.group(1).decode("ascii")))
            except (LookupError, UnicodeDecodeError):
                pass
        rep.warning(path, line, f"is not UTF-8 (byte 0x{data[exc.start]:02x}) and declares no encoding it is in: "
                    "read as Latin-1 (ISO 8859-1); save it as UTF-8, or say which on its first line "
                    "('% Encoding: windows-1252', as JabRef writes)")
        return unicodedata.normalize("NFC", data.decode("latin-1"))


# Bidirectional embedding, override and isolate controls: invisible, and they reorder what a
# reader (or a reviewer reading a diff) sees, so a title or key can show other than it is.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def bidi_controls(rep: Reporter, path: Path, text: str, first_line: int = 1) -> None:
    """An error at each line of data (YAML, front matter, a bibliography) with a bidi control."""
    if not _BIDI.search(text):
        return
    for number, line in enumerate(text.split("\n"), first_line):
        if m := _BIDI.search(line):
            rep.error(path, number, f"invisible bidirectional control character U+{ord(m.group()):04X}: it "
                      "reorders how the text shows; delete it (use plain text direction)")


def check_published_trees(rep: Reporter, root: Path, folders: tuple[str, ...] = PUBLISHED_TREES) -> None:
    """Every symbolic link in the folders published as they are, and the folders themselves,
    stays inside the project (`docs/assets/env.txt -> /proc/self/environ` would publish the
    build's environment). Links are not followed while walking, so a loop cannot hang it."""
    for name in folders:
        top = root / name
        if not (top.exists() or top.is_symlink()):
            continue
        if why := escape(root, top):
            rep.error(top, 0, why)
            continue
        for folder, dirs, files in os.walk(top):
            for entry in sorted([*dirs, *files]):
                path = Path(folder) / entry
                if not path.is_symlink():
                    continue
                if not path.exists():
                    rep.error(path, 0, "is a symbolic link to something that does not exist")
                elif why := escape(root, path):
                    rep.error(path, 0, why)


def source_files(rep: Reporter, root: Path, kind: Kind, folder: Path | None = None,
                 unreadable: set[str] | None = None) -> list[tuple[Path, str]]:
    """Every readable source of `kind` (in `folder`, by default the kind's own), sorted, as (path, text).
    The slugs (file stems) of sources that exist but cannot be read go into `unreadable`."""
    folder = folder or root / kind.folder
    if folder.exists() and (why := escape(root, folder)):
        rep.error(folder, 0, why)
        return []
    if not folder.is_dir():
        if kind.required or folder.exists():
            rep.error(folder, 0, f"the {kind.what} folder {kind.folder}/ is missing" if not folder.exists()
                      else f"{kind.folder} must be a folder")
        return []
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        rep.error(folder, 0, f"cannot list the folder: {exc.strerror or exc.__class__.__name__}")
        return []
    found: list[tuple[Path, str]] = []
    stems: dict[str, str] = {}
    for name in names:
        if _skipped(name):
            continue
        path = folder / name
        suffix = Path(name).suffix.lower()
        if suffix not in kind.suffixes:
            rep.error(path, 0, f"is not a {kind.what} source: {kind.folder}/ holds "
                      f"{' or '.join(kind.suffixes)} files (rename it, or move it elsewhere)")
            continue
        stem = unicodedata.normalize("NFC", Path(name).stem)
        if stem in stems:
            rep.error(path, 0, f"the same {kind.what} as {stems[stem]}: keep one of the two files")
            continue
        stems[stem] = name
        text = read_text(rep, path, root)
        if text is not None:
            found.append((path, text))
        elif unreadable is not None:
            unreadable.add(stem)
    if kind.required and not found and not rep.errors:
        rep.error(folder, 0, f"no {kind.what} files in {kind.folder}/: a site needs at least one")
    return found
