"""Who is acting: the signed-in user, an API client or an operator at the command line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """A user with their organisation, roles and the organisations within their jurisdiction."""

    user_id: int
    username: str
    display_name: str
    organisation_id: int
    organisation_kind: str
    role_keys: frozenset[str]
    jurisdiction: frozenset[int]
    is_admin: bool = False

    def has_role(self, role_key: str) -> bool:
        return role_key in self.role_keys

    def sees_organisation(self, organisation_id: int | None) -> bool:
        return organisation_id is not None and organisation_id in self.jurisdiction


SYSTEM = Actor(user_id=0, username="system", display_name="系统", organisation_id=0, organisation_kind="system",
               role_keys=frozenset(), jurisdiction=frozenset(), is_admin=True)
