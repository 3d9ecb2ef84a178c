"""Writes float32 -> float16 reference conversions made by NumPy (round to nearest even).

Run: /usr/bin/python3 make_fp16_fixture.py  (writes fp16_numpy.txt next to this file)
Each line: <float32 bits hex> <float16 bits hex>. Covers random values around the float16
range (normals, subnormals, overflow), exact ties and special values.
"""

import pathlib

import numpy as np


def main() -> None:
    rng = np.random.default_rng(20240611)
    exponents = rng.integers(127 - 28, 127 + 18, size=2500).astype(np.uint32)
    mantissas = rng.integers(0, 1 << 23, size=2500).astype(np.uint32)
    signs = rng.integers(0, 2, size=2500).astype(np.uint32)
    random_bits = (signs << 31) | (exponents << 23) | mantissas
    # exact ties: a half value plus half of its ulp (low 13 bits = 0x1000)
    tie_bits = (random_bits & ~np.uint32(0x1FFF)) | np.uint32(0x1000)
    specials = np.array(
        [0.0, -0.0, 1.0, -1.0, 65504.0, 65519.99, 65520.0, 1e6, 2.0**-24, 2.0**-25, 2.0**-26,
         3 * 2.0**-26, 2.0**-14, np.inf, -np.inf, 0.1, 1 / 3],
        dtype=np.float32,
    ).view(np.uint32)
    bits = np.concatenate([random_bits, tie_bits, specials]).astype(np.uint32)
    halves = bits.view(np.float32).astype(np.float16).view(np.uint16)
    out = pathlib.Path(__file__).with_name("fp16_numpy.txt")
    lines = [f"{int(b):08x} {int(h):04x}" for b, h in zip(bits, halves)]
    out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
