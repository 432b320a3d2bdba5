import os
import stat
from concurrent.futures import ThreadPoolExecutor

from app.config import _secret_key


def test_generated_secret_key_is_kept_private_and_reused(tmp_path, monkeypatch):
    monkeypatch.delenv("CERTREADY_SECRET_KEY", raising=False)
    first = _secret_key(tmp_path)
    assert len(first) == 64
    assert _secret_key(tmp_path) == first
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"]


def test_workers_starting_together_all_get_the_same_key(tmp_path, monkeypatch):
    monkeypatch.delenv("CERTREADY_SECRET_KEY", raising=False)
    with ThreadPoolExecutor(16) as pool:
        keys = set(pool.map(lambda _: _secret_key(tmp_path), range(64)))
    assert len(keys) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"]


def test_configured_secret_key_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("CERTREADY_SECRET_KEY", "from-the-environment")
    assert _secret_key(tmp_path) == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()
