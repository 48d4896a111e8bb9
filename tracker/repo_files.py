"""Find the files a fork of the template keeps beside its roadmap (schema, templates)."""

from __future__ import annotations

from pathlib import Path

# Where the package itself lives in a checkout (an editable install, or `python -m tracker`).
_CHECKOUT = Path(__file__).resolve().parent.parent


def find(name: str, near: Path | None = None) -> Path | None:
    """The nearest `name` in `near`'s folder or above it, else in the tracker's own checkout."""
    places: list[Path] = []
    if near is not None:
        start = near.resolve()
        start = start if start.is_dir() else start.parent
        places.extend([start, *start.parents])
    places.extend([Path.cwd(), _CHECKOUT])
    for place in places:
        candidate = place / name
        if candidate.exists():
            return candidate
    return None


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that a reader never sees half of it (two runs may share a checkout)."""
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
