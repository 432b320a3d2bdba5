"""The production argon2 cost is the one the docs name, and older hashes are replaced at sign-in."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY

from app.auth import passwords
from app.extensions import db
from app.models import User
from tests.fixtures.users import DEFAULT_PASSWORD

STANDARD = pytest.mark.app_config(CERTREADY_PASSWORD_HASHING="standard")


@STANDARD
def test_standard_hashes_are_argon2id_19_mib_two_passes_one_lane(app):
    parameters = extract_parameters(passwords.hash_password("a password for this test"))
    assert (parameters.type.name, parameters.memory_cost, parameters.time_cost, parameters.parallelism) == (
        "ID",
        19 * 1024,
        2,
        1,
    )


def test_an_unknown_hashing_setting_is_refused_not_treated_as_standard(make_app):
    with pytest.raises(ValueError, match="'standard' or 'fast'"):
        make_app(CERTREADY_PASSWORD_HASHING="cheap")


@STANDARD
@pytest.mark.parametrize(
    "old",
    [
        # argon2-cffi's default, what accounts made before 2026-12 carry.
        PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY),
        # The other OWASP setting, and a cheaper one: any other parameters are replaced too.
        PasswordHasher(time_cost=1, memory_cost=46 * 1024, parallelism=1),
        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
    ],
    ids=["64MiB-t3-p4", "46MiB-t1-p1", "8KiB-t1-p1"],
)
def test_a_hash_made_with_other_parameters_still_signs_in_and_is_rehashed(client, make_user, old):
    user = make_user(email="old.hash@example.org")
    user.password_hash = old.hash(DEFAULT_PASSWORD)
    db.session.commit()
    assert passwords.needs_rehash(user.password_hash)

    response = client.post("/login", data={"email": "old.hash@example.org", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    db.session.expire_all()
    stored = db.session.get(User, user.id).password_hash
    assert extract_parameters(stored) == extract_parameters(passwords.hash_password("x"))
    assert not passwords.needs_rehash(stored)
    assert PasswordHasher().verify(stored, DEFAULT_PASSWORD)

    # A wrong password neither signs in nor touches the stored hash.
    client.post("/logout")
    response = client.post("/login", data={"email": "old.hash@example.org", "password": "not the password"})
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == stored
