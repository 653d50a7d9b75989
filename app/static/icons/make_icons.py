"""Draw the app icons: a plain notebook on slate, nothing about the service's topic (R18).

Standard library only (zlib, struct). Run from the project root and commit the PNGs:

    .venv/bin/python app/static/icons/make_icons.py
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

SLATE = (0x2F, 0x48, 0x58)
PAPER = (0xF6, 0xF4, 0xEF)
SPINE = (0x0B, 0x6E, 0x69)
RULE = (0x9A, 0xA7, 0xB0)
RING = (0xD9, 0xD4, 0xCA)

# (x0, y0, x1, y1, corner radius, colour) in units of the icon's side, drawn in order.
NOTEBOOK = [
    (0.27, 0.21, 0.73, 0.81, 0.05, PAPER),
    (0.27, 0.21, 0.37, 0.81, 0.05, SPINE),
    (0.33, 0.21, 0.37, 0.81, 0.0, SPINE),
    (0.44, 0.36, 0.66, 0.395, 0.0175, RULE),
    (0.44, 0.47, 0.66, 0.505, 0.0175, RULE),
    (0.44, 0.58, 0.60, 0.615, 0.0175, RULE),
    (0.45, 0.15, 0.50, 0.27, 0.025, RING),
    (0.58, 0.15, 0.63, 0.27, 0.025, RING),
]


def _rounded_rect_distance(x: float, y: float, box: tuple[float, float, float, float], radius: float) -> float:
    """Signed distance (negative inside) from a point to a rounded rectangle."""
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hx, hy = (x1 - x0) / 2 - radius, (y1 - y0) / 2 - radius
    qx, qy = abs(x - cx) - hx, abs(y - cy) - hy
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    return outside + min(max(qx, qy), 0.0) - radius


def draw(size: int, *, maskable: bool) -> bytearray:
    """RGBA pixels for one icon. Maskable icons fill the square and keep the mark in the safe zone."""
    pixels = bytearray(size * size * 4)
    scale = 0.72 if maskable else 1.0
    background = (0.0, 0.0, 1.0, 1.0, 0.0 if maskable else 0.2, SLATE)
    shapes = [background] + [
        (
            0.5 + (x0 - 0.5) * scale,
            0.5 + (y0 - 0.5) * scale,
            0.5 + (x1 - 0.5) * scale,
            0.5 + (y1 - 0.5) * scale,
            r * scale,
            colour,
        )
        for x0, y0, x1, y1, r, colour in NOTEBOOK
    ]
    for x0, y0, x1, y1, radius, colour in shapes:
        box = (x0 * size, y0 * size, x1 * size, y1 * size)
        for py in range(max(0, int(box[1]) - 1), min(size, int(box[3]) + 2)):
            for px in range(max(0, int(box[0]) - 1), min(size, int(box[2]) + 2)):
                # Anti-aliasing: half a pixel either side of the edge blends.
                distance = _rounded_rect_distance(px + 0.5, py + 0.5, box, radius * size)
                coverage = min(1.0, max(0.0, 0.5 - distance))
                if coverage <= 0:
                    continue
                i = (py * size + px) * 4
                alpha = pixels[i + 3] / 255
                out_alpha = coverage + alpha * (1 - coverage)
                for c in range(3):
                    blended = colour[c] * coverage + pixels[i + c] * alpha * (1 - coverage)
                    pixels[i + c] = round(blended / out_alpha) if out_alpha else 0
                pixels[i + 3] = round(out_alpha * 255)
    return pixels


def png(size: int, pixels: bytearray) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes(pixels[y * size * 4 : (y + 1) * size * 4]) for y in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def ico(sizes: tuple[int, ...]) -> bytes:
    """A favicon.ico holding one PNG per size (every current browser reads PNG inside ICO)."""
    images = [png(size, draw(size, maskable=False)) for size in sizes]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries = b""
    for size, image in zip(sizes, images, strict=True):
        # Width and height 0 mean 256; colour count 0, one plane, 32 bits a pixel.
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    return header + entries + b"".join(images)


def main() -> None:
    for size in (192, 512):
        (HERE / f"icon-{size}.png").write_bytes(png(size, draw(size, maskable=False)))
        (HERE / f"maskable-{size}.png").write_bytes(png(size, draw(size, maskable=True)))
    # Browsers ask for /favicon.ico on every site; both doors link to it (templates/_base.html).
    (HERE / "favicon.ico").write_bytes(ico((16, 32, 48)))


if __name__ == "__main__":
    main()
