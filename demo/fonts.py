"""Find the DejaVu TrueType fonts the demo images and ebooks are drawn with.

DejaVu covers Vietnamese, which the bitmap/Type 1 fallbacks do not; when it is not
installed (a slim container) callers fall back to their library's built-in font.
"""

from functools import cache
from pathlib import Path

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path("/Library/Fonts"))

REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"
MONO = "DejaVuSansMono.ttf"


@cache
def find_font(filename: str) -> Path | None:
    for directory in FONT_DIRS:
        if directory.is_dir():
            for path in directory.rglob(filename):
                return path
    return None
