"""COCO run-length encoding as pycocotools writes it (column-major, counts start with the
number of zeros) and its compressed string form."""

from typing import List

import numpy as np


def encode_counts(mask: np.ndarray) -> List[int]:
    """H x W binary mask -> run lengths over the column-major pixel order, zeros first."""
    flat = np.asarray(mask, dtype=bool).flatten(order="F")
    counts = []
    current, run = False, 0
    for value in flat:
        if value == current:
            run += 1
        else:
            counts.append(run)
            current, run = value, 1
    counts.append(run)
    return counts


def decode_counts(counts: List[int], height: int, width: int) -> np.ndarray:
    flat = np.zeros(height * width, dtype=np.uint8)
    pos, value = 0, 0
    for run in counts:
        flat[pos : pos + run] = value
        pos += run
        value ^= 1
    if pos != height * width:
        raise ValueError(f"counts cover {pos} pixels, expected {height * width}")
    return flat.reshape((height, width), order="F")


def counts_to_string(counts: List[int]) -> str:
    """pycocotools rleToString: from the third count on, a count is stored as the difference
    to the count two places before; each value is written in 5-bit groups (low first) as
    chr(48 + group), bit 0x20 meaning "more groups follow", sign-extended from bit 0x10."""
    out = []
    for i, count in enumerate(counts):
        x = int(count)
        if i > 2:
            x -= int(counts[i - 2])
        more = True
        while more:
            c = x & 0x1F
            x >>= 5
            more = x != -1 if c & 0x10 else x != 0
            if more:
                c |= 0x20
            out.append(chr(c + 48))
    return "".join(out)


def string_to_counts(s: str) -> List[int]:
    """Inverse of counts_to_string (pycocotools rleFrString)."""
    counts: List[int] = []
    p = 0
    while p < len(s):
        x, k, more = 0, 0, True
        while more:
            c = ord(s[p]) - 48
            x |= (c & 0x1F) << (5 * k)
            more = (c & 0x20) != 0
            p += 1
            k += 1
            if not more and (c & 0x10):
                x |= -1 << (5 * k)
        if len(counts) > 2:
            x += counts[-2]
        counts.append(x)
    return counts
