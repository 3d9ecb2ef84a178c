"""The decoder's inscribed-ellipse logit prior (sam.EllipsePrior)."""

import numpy as np
import torch

from medsam_model.build import build_sam
from medsam_model.metrics import inscribed_ellipse
from medsam_model.sam import BoxDecoder, EllipsePrior


def test_positive_exactly_inside_the_inscribed_ellipse_when_cells_are_pixels():
    prior = EllipsePrior(image_size=40, low_res=40, scale=4.0)
    for box in ([3, 5, 20, 30], [10, 10, 11, 25], [0, 0, 39, 39], [7, 2, 8, 3]):
        logits = prior(torch.tensor([box], dtype=torch.float32))[0, 0].numpy()
        expected = inscribed_ellipse(box, 40, 40)
        # on the boundary the prior is 0 (not positive) while the raster counts <= 1
        assert np.array_equal(logits > 1e-6, expected & (logits > 1e-6)), box
        assert np.array_equal(logits >= -1e-6, expected), box


def test_scale_at_the_centre_and_floor_far_away():
    prior = EllipsePrior(image_size=64, low_res=16, scale=4.0)
    logits = prior(torch.tensor([[0.0, 0.0, 63.0, 63.0], [2.0, 2.0, 5.0, 5.0]]))
    assert logits.shape == (2, 1, 16, 16)
    assert float(logits[0, 0].max()) > 3.9
    assert float(logits.min()) == -4.0


def test_cells_centred_on_model_space_pixels():
    # 4 x 4 pixel cells: the cell centres sit at 1.5, 5.5, ...; a box over cell 2 (pixels 8..11)
    prior = EllipsePrior(image_size=16, low_res=4, scale=1.0)
    logits = prior(torch.tensor([[8.0, 8.0, 11.0, 11.0]]))[0, 0]
    assert float(logits[2, 2]) == 1.0
    assert float(logits[2, 1]) < 0


def test_the_decoder_adds_it_and_configs_without_it_do_not():
    sam = build_sam("conv_test")
    decoder = BoxDecoder(sam).eval()
    emb = torch.zeros(1, 32, 8, 8)
    boxes = torch.tensor([[10.0, 12.0, 40.0, 50.0]])
    with torch.no_grad():
        logits, _ = decoder(emb, boxes)
        sam.box_prior, decoder.box_prior = None, None
        plain, _ = decoder(emb, boxes)
    expected = EllipsePrior(64, 32, 4.0)(boxes)
    assert torch.allclose(logits - plain, expected, atol=1e-5)
    assert build_sam("tiny").box_prior is None
