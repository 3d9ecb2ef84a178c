"""COCO RLE as pycocotools writes it: column-major, counts start with zeros."""

import numpy as np

from medsam_model.rle import counts_to_string, decode_counts, encode_counts, string_to_counts


def test_known_vector():
    mask = np.array([[1, 1, 1, 1, 1, 1, 0]], dtype=np.uint8)
    counts = encode_counts(mask)
    assert counts == [0, 6, 1]
    assert counts_to_string(counts) == "061"
    assert string_to_counts("061") == [0, 6, 1]


def test_column_major_order():
    mask = np.array([[0, 1], [0, 1], [1, 0]], dtype=np.uint8)  # columns: 0,0,1 then 1,1,0
    assert encode_counts(mask) == [2, 3, 1]


def test_multi_group_and_delta_values():
    # 100 = 0b11_00100: low group 4 with the continuation bit -> chr(48 + 36) = "T", then "3"
    assert counts_to_string([100]) == "T3"
    # from the fourth count on, the difference to the count two places before is stored
    assert counts_to_string([0, 6, 1, 6]) == "0610"


def test_round_trip_random_masks():
    rng = np.random.default_rng(0)
    for _ in range(50):
        h, w = rng.integers(1, 30, 2)
        mask = rng.random((h, w)) < rng.random()
        counts = encode_counts(mask)
        assert sum(counts) == h * w
        assert string_to_counts(counts_to_string(counts)) == counts
        assert np.array_equal(decode_counts(counts, h, w), mask.astype(np.uint8))
