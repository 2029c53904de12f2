#!/usr/bin/env python3
"""Draw Flotilla's app icon and write it as RGBA PNGs, with no dependencies.

The mark: three boat hulls stacked like a small fleet, the lead one carrying a
pennant, on a dark-blue rounded square. Every shape is a signed distance field,
so each size is drawn directly at its own resolution with anti-aliased edges.

    python3 resources/icons/make_icons.py        # writes next to this script

Writes icon.png (512) and NxN.png at every size the Linux packages install
(16 to 512; 128x128@2x.png is the 256 one for HiDPI): colour type 6 (RGBA), 8
bits per channel. Also icon.ico (Windows: 16, 24, 32, 48, 64, 256) and
icon.icns (macOS: 16 to 1024), both holding PNGs.
"""

import math
import struct
import sys
import zlib
from pathlib import Path

SIZES = {
    "icon.png": 512,
    "16x16.png": 16,
    "24x24.png": 24,
    "32x32.png": 32,
    "48x48.png": 48,
    "64x64.png": 64,
    "128x128.png": 128,
    "128x128@2x.png": 256,
    "256x256.png": 256,
    "512x512.png": 512,
}
ICO_SIZES = [16, 24, 32, 48, 64, 256]
# ICNS entry types holding PNGs, by side in pixels.
ICNS_TYPES = [(b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256), (b"ic09", 512), (b"ic10", 1024)]

# Colours, as (r, g, b) in 0..255.
BG_TOP = (0x24, 0x4A, 0x8F)
BG_BOTTOM = (0x10, 0x23, 0x4A)
HULLS = [  # top to bottom: (centre x, top y, half width, depth, colour), in units of the icon's side
    (0.50, 0.470, 0.190, 0.090, (0xFF, 0xFF, 0xFF)),
    (0.50, 0.605, 0.255, 0.100, (0xA9, 0xC8, 0xFF)),
    (0.50, 0.745, 0.320, 0.110, (0x5B, 0x8C, 0xFF)),
]
MAST = (0.5, 0.205, 0.470, 0.011)  # x, top y, bottom y, half width
MAST_MIN_PIXELS = 1.25  # so the mast stays a solid line at 32x32
MAST_COLOUR = (0xFF, 0xFF, 0xFF)
PENNANT = [(0.512, 0.215), (0.690, 0.282), (0.512, 0.350)]
PENNANT_COLOUR = (0xFF, 0xB4, 0x54)
CORNER_RADIUS = 0.22


def sd_rounded_square(x, y, radius):
    """Distance to the unit square [0,1]^2 with rounded corners; negative inside."""
    qx = abs(x - 0.5) - (0.5 - radius)
    qy = abs(y - 0.5) - (0.5 - radius)
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    return outside + min(max(qx, qy), 0.0) - radius


def sd_hull(x, y, cx, top, half_width, depth):
    """A boat hull: the lower half of an ellipse whose long axis is the deck line."""
    dx, dy = (x - cx) / half_width, (y - top) / depth
    f = dx * dx + dy * dy - 1.0
    gx, gy = 2.0 * dx / half_width, 2.0 * dy / depth
    ellipse = f / max(math.hypot(gx, gy), 1e-9)  # first-order distance: exact enough at the edge
    deck = top - y  # negative below the deck line
    return max(ellipse, deck)


def sd_box(x, y, x0, y0, x1, y1):
    qx = abs(x - (x0 + x1) / 2) - (x1 - x0) / 2
    qy = abs(y - (y0 + y1) / 2) - (y1 - y0) / 2
    return math.hypot(max(qx, 0.0), max(qy, 0.0)) + min(max(qx, qy), 0.0)


def sd_triangle(x, y, points):
    """Distance to a triangle given clockwise in image coordinates (y down)."""
    d = -math.inf
    for (ax, ay), (bx, by) in zip(points, points[1:] + points[:1]):
        ex, ey = bx - ax, by - ay
        length = math.hypot(ex, ey)
        # Outward normal of a clockwise edge when y points down.
        d = max(d, ((x - ax) * ey - (y - ay) * ex) / length)
    return d


def coverage(distance, pixel):
    """Fraction of a pixel a shape covers, from its distance in icon units."""
    return min(max(0.5 - distance / pixel, 0.0), 1.0)


def over(dst, colour, alpha):
    return tuple(d + (c - d) * alpha for d, c in zip(dst, colour))


def render(size):
    """The icon as rows of RGBA bytes."""
    pixel = 1.0 / size
    rows = []
    for j in range(size):
        y = (j + 0.5) * pixel
        t = y  # the background darkens towards the bottom
        bg = tuple(a + (b - a) * t for a, b in zip(BG_TOP, BG_BOTTOM))
        row = bytearray()
        for i in range(size):
            x = (i + 0.5) * pixel
            alpha = coverage(sd_rounded_square(x, y, CORNER_RADIUS), pixel)
            if alpha == 0.0:
                row += b"\0\0\0\0"
                continue
            rgb = bg
            mx, top, bottom, half = MAST
            half = max(half, MAST_MIN_PIXELS * pixel / 2)
            rgb = over(rgb, MAST_COLOUR, coverage(sd_box(x, y, mx - half, top, mx + half, bottom), pixel))
            rgb = over(rgb, PENNANT_COLOUR, coverage(sd_triangle(x, y, PENNANT), pixel))
            for cx, deck, half_width, depth, colour in HULLS:
                rgb = over(rgb, colour, coverage(sd_hull(x, y, cx, deck, half_width, depth), pixel))
            row += bytes(round(c) for c in rgb) + bytes([round(alpha * 255)])
        rows.append(bytes(row))
    return rows


def png(size, rows):
    """A PNG file: 8-bit RGBA (colour type 6), no interlace, filter 0 on every row."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    raw = b"".join(b"\0" + row for row in rows)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def ico(pngs):
    """A Windows icon: the ICONDIR header, one 16-byte entry per size, then the PNGs."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, data = b"", b""
    for size, blob in pngs:
        side = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset + len(data))
        data += blob
    return header + entries + data


def icns(pngs):
    """A macOS icon family: 'icns', its length, then (type, length, PNG) entries."""
    body = b"".join(kind + struct.pack(">I", 8 + len(blob)) + blob for kind, blob in pngs)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(out_dir):
    out_dir.mkdir(parents=True, exist_ok=True)
    drawn = {}

    def draw(size):
        if size not in drawn:
            drawn[size] = png(size, render(size))
        return drawn[size]

    for name, size in SIZES.items():
        path = out_dir / name
        path.write_bytes(draw(size))
        print(f"{path} {size}x{size}")
    (out_dir / "icon.ico").write_bytes(ico([(s, draw(s)) for s in ICO_SIZES]))
    print(out_dir / "icon.ico")
    (out_dir / "icon.icns").write_bytes(icns([(k, draw(s)) for k, s in ICNS_TYPES]))
    print(out_dir / "icon.icns")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
