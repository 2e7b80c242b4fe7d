"""The backup archive: one gzip'd tar holding the database, the instance files and a manifest.

The manifest names every other member with its size and SHA-256; a second checksum, of the
whole archive, sits beside it in `<name>.sha256` (the format `sha256sum -c` reads). Reading
an archive checks both before anything is written anywhere, so a corrupted or truncated copy
is refused whole. An archive is written under a hidden partial name, flushed to disk and only
then renamed, so a failure (a full disk) never leaves a half archive among the good ones.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import os
import re
import tarfile
from pathlib import Path, PurePosixPath

MANIFEST = "manifest.json"
FORMAT = 1
PREFIX = "counsel-backup-"
SUFFIX = ".tar.gz"
NAME = re.compile(r"^counsel-backup-\d{8}-\d{6}(-[a-z0-9-]+)?\.tar\.gz$")
#: names of settings whose values are secrets: never written to a backup
SECRET_NAME = re.compile(r"(SECRET|PASSWORD|PASSWD|TOKEN|_KEY$|^KEY$|DATABASE_URL|DATABASE_URI)")
REDACTED = "None  # left out of the backup: a secret; set it again from your secrets store"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message says why."""


class BackupCorrupt(BackupError):
    """An archive whose checksums do not hold: nothing is restored from it."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def sidecar(archive: Path) -> Path:
    """The file beside an archive holding its checksum."""
    return archive.with_name(archive.name + ".sha256")


# --- writing ------------------------------------------------------------------------------


def describe(staging: Path) -> dict[str, dict]:
    """Each file under the staging folder, by its name in the archive: size and SHA-256."""
    files = {}
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        name = path.relative_to(staging).as_posix()
        files[name] = {"size": path.stat().st_size, "sha256": sha256_of(path)}
    return files


def write_archive(staging: Path, manifest: dict, target: Path) -> int:
    """Pack the staging folder and the manifest into `target`; return its size in bytes.

    The archive appears under its own name only once it is whole and on disk.
    """
    partial = target.with_name(f".{target.name}.partial")
    try:
        with open(partial, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                for name in manifest["files"]:
                    tar.add(staging / name, arcname=name, recursive=False)
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(data), int(manifest["created_ts"])
                tar.addfile(info, io.BytesIO(data))
            raw.flush()
            os.fsync(raw.fileno())
        checksum = f"{sha256_of(partial)}  {target.name}\n"
        _write_atomically(sidecar(target), checksum.encode())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        sidecar(target).unlink(missing_ok=True)
        raise
    return target.stat().st_size


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.partial")
    try:
        with open(partial, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


# --- secrets ------------------------------------------------------------------------------


def redact_python(text: str) -> str:
    """A Python config file with the value of every secret-named setting left out."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return "# left out of the backup: this file could not be read to remove its secrets\n"
    lines = text.splitlines(keepends=True)
    for node in reversed(tree.body):
        targets = _assigned_names(node)
        if targets and any(SECRET_NAME.search(name) for name in targets):
            first, last = node.lineno - 1, node.end_lineno
            lines[first:last] = [f"{targets[0]} = {REDACTED}\n"]
    return "".join(lines)


def _assigned_names(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def redact_env(text: str) -> str:
    """An environment file (NAME=value lines) with every secret-named value left out."""
    out = []
    for line in text.splitlines(keepends=True):
        name = line.split("=", 1)[0].strip().removeprefix("export ").strip()
        if "=" in line and not line.lstrip().startswith("#") and SECRET_NAME.search(name):
            out.append(f"# {name}= left out of the backup: a secret\n")
        else:
            out.append(line)
    return "".join(out)


def may_hold_secrets(path: Path) -> bool:
    """Configuration: Python files and environment files."""
    return path.suffix in (".py", ".env") or path.name == ".env"


def redacted(path: Path) -> bytes | None:
    """The file's text without secrets, when it is a kind of file that can hold them."""
    if not may_hold_secrets(path):
        return None
    if path.suffix == ".py":
        return redact_python(path.read_text(encoding="utf-8", errors="replace")).encode()
    return redact_env(path.read_text(encoding="utf-8", errors="replace")).encode()


# --- reading ------------------------------------------------------------------------------


def verify(archive: Path) -> dict:
    """The archive's manifest, once every checksum holds; BackupCorrupt otherwise.

    Reads the whole archive and writes nothing.
    """
    if not archive.is_file():
        raise BackupError(f"{archive}: no such backup file")
    _check_sidecar(archive)
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            manifest = _manifest(tar, archive)
            seen = set()
            for member in tar:
                if member.name == MANIFEST:
                    continue
                _check_member(member, manifest, archive)
                digest = hashlib.sha256()
                stream = tar.extractfile(member)
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                if digest.hexdigest() != manifest["files"][member.name]["sha256"]:
                    raise BackupCorrupt(f"{archive}: {member.name} does not match its checksum")
                seen.add(member.name)
    except (tarfile.TarError, OSError, EOFError, ValueError, KeyError) as error:
        raise BackupCorrupt(f"{archive}: the archive is damaged ({error})") from None
    missing = set(manifest["files"]) - seen
    if missing:
        raise BackupCorrupt(f"{archive}: missing {', '.join(sorted(missing))}")
    return manifest


def _check_sidecar(archive: Path) -> None:
    checksum = sidecar(archive)
    if not checksum.is_file():
        return  # copied without it: the manifest's checksums still hold every member
    expected = checksum.read_text().split()[0] if checksum.read_text().strip() else ""
    if expected != sha256_of(archive):
        raise BackupCorrupt(f"{archive}: the archive does not match its checksum ({checksum.name})")


def _manifest(tar: tarfile.TarFile, archive: Path) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except KeyError:
        raise BackupCorrupt(
            f"{archive}: damaged, or not a Counsel backup (its manifest cannot be read)"
        ) from None
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise BackupCorrupt(f"{archive}: not a backup this version of Counsel can read")
    return manifest


def _check_member(member: tarfile.TarInfo, manifest: dict, archive: Path) -> None:
    path = PurePosixPath(member.name)
    if not member.isfile() or path.is_absolute() or ".." in path.parts:
        raise BackupCorrupt(f"{archive}: unexpected member {member.name}")
    if member.name not in manifest["files"]:
        raise BackupCorrupt(f"{archive}: {member.name} is not in the manifest")


def extract(archive: Path, name: str, target: Path) -> None:
    """Write one member of a verified archive to `target`."""
    with tarfile.open(archive, mode="r:gz") as tar, open(target, "wb") as out:
        stream = tar.extractfile(name)
        while chunk := stream.read(CHUNK):
            out.write(chunk)


def members_under(manifest: dict, folder: str) -> list[str]:
    return [name for name in manifest["files"] if name.startswith(f"{folder}/")]
