"""Users, organisations and roles: building the acting user, creating accounts, hashing passwords."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping

from adapters.engine import clock
from adapters.services.platform import Platform
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import InvalidData, NotFound
from storage.models import Organisation, User
from storage.repositories.handling import HandlingRepository
from storage.uow import UnitOfWork

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt_hex), dklen=32, **_SCRYPT)
    return hmac.compare_digest(digest.hex(), digest_hex)


def password_problems(password: str) -> list[str]:
    """等保 2.0 expects complexity: at least 8 characters with letters and digits."""
    problems = []
    if len(password) < 8:
        problems.append("密码至少 8 位")
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        problems.append("密码须同时包含字母和数字")
    return problems


def jurisdiction_of(organisation_id: int, organisations: Iterable[Organisation]) -> frozenset[int]:
    """An organisation and everything below it in the supervision tree."""
    return jurisdiction_in_tree(organisation_id, {o.id: (o.kind, o.parent_id) for o in organisations})


def actor_for(uow: UnitOfWork, user: User, *, tree: Mapping[int, tuple[str, int | None]] | None = None) -> Actor:
    """The acting user; with ``tree`` (the platform's cached organisation tree) no organisation is read again."""
    org = user.organisation
    if tree is not None:
        jurisdiction = jurisdiction_in_tree(user.organisation_id, tree)
    else:
        jurisdiction = jurisdiction_of(user.organisation_id, uow.directory.organisations())
    return Actor(user_id=user.id, username=user.username, display_name=user.display_name,
                 organisation_id=user.organisation_id, organisation_kind=org.kind,
                 role_keys=frozenset(role.key for role in user.roles), jurisdiction=jurisdiction,
                 is_admin=user.is_admin, delegations=handling_delegations(uow, user.id))


def jurisdiction_in_tree(organisation_id: int, tree: Mapping[int, tuple[str, int | None]]) -> frozenset[int]:
    """``jurisdiction_of`` over the cached tree (organisation id → (kind, parent id))."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for org_id, (_kind, parent_id) in tree.items():
        children[parent_id].append(org_id)
    seen, stack = {organisation_id}, [organisation_id]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return frozenset(seen)


def handling_delegations(uow: UnitOfWork, user_id: int) -> tuple[tuple[int, str, int], ...]:
    """The 委托 in force to the user today (Beijing), as the actor carries them."""
    today = clock.now().astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    return tuple((d.from_user_id, d.role_key, d.organisation_id)
                 for d in HandlingRepository(uow.session).active_to(user_id, today))


def actor_by_username(platform: Platform, username: str) -> Actor:
    with platform.reader() as uow:
        user = uow.directory.user_by_name(username)
        if user is None or not user.active:
            raise NotFound(f"用户 {username} 不存在或已停用")
        return actor_for(uow, user)


def organisation_id(platform: Platform, code: str) -> int:
    with platform.reader() as uow:
        org = uow.directory.organisation_by_code(code)
        if org is None:
            raise NotFound(f"机构代码 {code} 不存在")
        return org.id


def create_user(platform: Platform, *, username: str, display_name: str, password: str,
                organisation_code: str, role_keys: Iterable[str], email: str | None = None,
                is_admin: bool = False, created_by: str = "system") -> int:
    errors = {}
    if not username or len(username) > 60:
        errors["username"] = "用户名必填，最多 60 个字符"
    if problems := password_problems(password):
        errors["password"] = "；".join(problems)
    with platform.uow() as uow:
        org = uow.directory.organisation_by_code(organisation_code)
        if org is None:
            errors["organisation"] = f"机构代码 {organisation_code} 不存在"
        if uow.directory.user_by_name(username) is not None:
            errors["username"] = f"用户名 {username} 已存在"
        roles = []
        for key in role_keys:
            role = uow.directory.role(key)
            if role is None:
                errors["roles"] = f"角色 {key} 不存在"
            roles.append(role)
        if errors or org is None:
            raise InvalidData(errors, "无法创建用户")
        user = uow.directory.add_user(User(username=username, display_name=display_name or username,
                                           password_hash=hash_password(password), organisation_id=org.id,
                                           email=email, is_admin=is_admin, roles=[r for r in roles if r]))
        uow.audit.record("user.create", username=created_by, entity="user", entity_id=user.id,
                         detail={"username": username, "organisation": organisation_code, "roles": list(role_keys)})
        uow.commit()
        return user.id
