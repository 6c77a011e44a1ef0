"""Draw the demo's cover and figure images with Pillow, so seeding needs no network.

Output is deterministic: shapes come from a random generator seeded with the title, so
the same title always gives the same picture.
"""

import hashlib
import random
import textwrap
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

from .fonts import BOLD, REGULAR, find_font

BANNER_SIZE = (1280, 720)
# The home page shows its hero image through `fill-720x540` (4:3). Drawn at 16:9, the
# crop cut the kicker and title off on the left; drawn at 4:3, nothing is cropped.
HERO_SIZE = (1440, 1080)
MARGIN = 80
JPEG_QUALITY = 85


def render_banner(
    title: str,
    kicker: str,
    colors: tuple[str, str],
    size: tuple[int, int] = BANNER_SIZE,
) -> bytes:
    """A JPEG: diagonal gradient, a few translucent shapes, the kicker and the title."""
    seed = int.from_bytes(hashlib.sha256(title.encode()).digest()[:8], "big")
    rng = random.Random(seed)
    image = _gradient(size, _rgb(colors[0]), _rgb(colors[1]))
    image = _draw_shapes(image, rng)
    _draw_text(image, title, kicker)
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()


def _rgb(hex_color: str) -> tuple[int, int, int]:
    value = hex_color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _gradient(size: tuple[int, int], start: tuple[int, ...], end: tuple[int, ...]) -> Image.Image:
    """Blend two solid images through a diagonal mask: fast, no per-pixel Python loop."""
    vertical = Image.linear_gradient("L")
    horizontal = vertical.rotate(90)
    mask = Image.blend(vertical, horizontal, 0.5).resize(size)
    return Image.composite(Image.new("RGB", size, end), Image.new("RGB", size, start), mask)


def _draw_shapes(image: Image.Image, rng: random.Random) -> Image.Image:
    width, height = image.size
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for _ in range(rng.randint(4, 7)):
        radius = rng.randint(height // 8, height // 2)
        x, y = rng.randint(width // 3, width), rng.randint(-radius, height)
        alpha = rng.randint(25, 70)
        if rng.random() < 0.5:
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255, alpha))
        else:
            draw.rounded_rectangle(
                (x - radius, y - radius // 2, x + radius, y + radius // 2),
                radius=radius // 4,
                outline=(255, 255, 255, alpha + 40),
                width=6,
            )
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")


def _font(filename: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = find_font(filename)
    if path:
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def _draw_text(image: Image.Image, title: str, kicker: str) -> None:
    draw = ImageDraw.Draw(image)
    width, height = image.size
    title_font = _font(BOLD, height // 10)
    kicker_font = _font(REGULAR, height // 26)
    draw.text((MARGIN, MARGIN), kicker.upper(), font=kicker_font, fill=(255, 255, 255))

    lines = _wrap(title, title_font, width - 2 * MARGIN)
    line_height = int(getattr(title_font, "size", height // 10) * 1.2)
    y = height - MARGIN - line_height * len(lines)
    for line in lines:
        draw.text((MARGIN + 3, y + 3), line, font=title_font, fill=(0, 0, 0, 90))
        draw.text((MARGIN, y), line, font=title_font, fill=(255, 255, 255))
        y += line_height


def _wrap(text: str, font, max_width: int) -> list[str]:
    """Wrap on words at the widest width that fits, measured with the real font."""
    for chars in range(len(text), 8, -1):
        lines = textwrap.wrap(text, chars)
        if all(font.getlength(line) <= max_width for line in lines):
            return lines
    return textwrap.wrap(text, 8)
