"""bench_pytorch_encoder.py, the PyTorch baseline of `medsam bench encoder`, run as the Java
benchmark runs it: a subprocess whose last stdout line is one JSON object."""

import json
import os
import subprocess
import sys

import pytest

import bench_pytorch_encoder

MODEL_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(MODEL_DIR, "bench_pytorch_encoder.py")
LITE_BUNDLE = os.path.join(MODEL_DIR, "testdata", "lite-random-bundle")
CH2 = "/usr/share/mricron/templates/ch2.nii.gz"


def _run(*args):
    return subprocess.run(
        [sys.executable, SCRIPT, *args], capture_output=True, text=True, timeout=120
    )


def test_random_init_config_two_slices():
    done = _run("--config", "lite_test", "--slices", "2", "--threads", "1", "--synthetic")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["slices_per_s"] > 0 and report["seconds"] > 0
    assert report["slices"] == 2 and report["batch_size"] == 1
    assert report["threads"] == 1 and report["interop_threads"] == 1
    assert report["config"] == "lite_test" and report["image_size"] == 64
    assert report["weights"] == "random-init" and report["inputs"] == "synthetic"
    assert set(report["malloc_env"]) == {"MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_"}


@pytest.mark.skipif(not os.path.isfile(CH2), reason="mricron-data not installed")
def test_bundle_weights_on_ch2_slices_as_the_java_benchmark_asks():
    done = _run(
        "--bundle", LITE_BUNDLE, "--slices", "2", "--threads", "1", "--batch", "1", "--volume", CH2
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["weights"] == "bundle" and report["config"] == "lite_test"
    assert report["image_size"] == 64 and report["slices"] == 2
    assert report["inputs"].endswith("axial, resize litemedsam")


def test_bad_arguments_fail_with_a_message_and_status_2():
    done = _run("--config", "no_such_config", "--slices", "1", "--synthetic")
    assert done.returncode == 2
    assert "unknown config 'no_such_config'" in done.stderr
    assert done.stdout == ""
    done = _run("--config", "lite_test", "--slices", "0")
    assert done.returncode == 2 and "must be >= 1" in done.stderr


@pytest.mark.skipif(not os.path.isfile(CH2), reason="mricron-data not installed")
def test_axial_inputs_are_model_inputs_under_the_bundle_rule():
    inputs = bench_pytorch_encoder.axial_inputs(CH2, 3, "litemedsam", 64)
    assert tuple(inputs.shape) == (3, 3, 64, 64)
    assert float(inputs.min()) == 0.0 and float(inputs.max()) == 1.0
    # 217 x 181 -> 64 x 53 content, zero padding on the right
    assert float(inputs[:, :, :, 53:].abs().max()) == 0.0
