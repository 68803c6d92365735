"""Fixtures for the figures tests: messages in English so assertions read the msgids."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield
