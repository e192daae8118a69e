"""Files only their owner may read: the generated secret key, the demo admin's password."""

from __future__ import annotations

import os
from pathlib import Path


def write_private_file(path: Path, content: str) -> bool:
    """Create `path` with mode 0600 in one step; False if it already exists (left as it is).

    O_EXCL makes creation atomic, so of two processes starting at once exactly one writes, and
    the file is never readable by others, not even for a moment before a chmod.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as handle:
        handle.write(content)
    return True
