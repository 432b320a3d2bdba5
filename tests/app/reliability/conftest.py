"""The journey's helpers and fixtures, shared with the reliability tests."""

from __future__ import annotations

import pytest

from assessments.framework import Framework, shipped_frameworks
from tests.app.journey.conftest import PROGRAMME


@pytest.fixture
def framework() -> Framework:
    return shipped_frameworks()[PROGRAMME]
