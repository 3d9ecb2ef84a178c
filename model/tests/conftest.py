"""Makes model/ importable when pytest runs from the repository root; fixes thread counts."""

import os
import sys

import torch

MODEL_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if MODEL_DIR not in sys.path:
    sys.path.insert(0, MODEL_DIR)

torch.set_num_threads(2)
