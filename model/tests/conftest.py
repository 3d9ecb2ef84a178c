"""Makes model/ importable when pytest runs from the repository root; fixes thread counts."""

import os
import sys

import torch

MODEL_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if MODEL_DIR not in sys.path:
    sys.path.insert(0, MODEL_DIR)

# one thread: on the shared, oversubscribed 2-core machine two OpenMP threads ran several times
# slower (barrier waits) than one
torch.set_num_threads(1)
