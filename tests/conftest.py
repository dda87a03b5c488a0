"""Shared fixtures."""

from __future__ import annotations

import importlib.util
import sys

import pytest
from PIL import Image

from helpers import ROOT, draw_text_page


@pytest.fixture
def text_page() -> Image.Image:
    return draw_text_page()


@pytest.fixture(scope="session")
def samples_module():
    """samples/make_samples.py, loaded from its path (it is a script, not a package module)."""
    path = ROOT / "samples" / "make_samples.py"
    spec = importlib.util.spec_from_file_location("make_samples", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_samples"] = module
    spec.loader.exec_module(module)
    return module
