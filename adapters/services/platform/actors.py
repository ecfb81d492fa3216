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
    # 委托 in force: (delegating user id, role key, organisation id) whose tasks this actor may also handle
    delegations: tuple[tuple[int, str, int], ...] = ()

    def has_role(self, role_key: str) -> bool:
        return role_key in self.role_keys

    def acts_for(self, role_key: str, organisation_id: int | None, assignee_id: int | None) -> int | None:
        """The delegating user whose task (role, organisation, assignee) this actor may handle, if any."""
        for from_user, role, org in self.delegations:
            if role == role_key and org == organisation_id and assignee_id in (None, from_user):
                return from_user
        return None

    def sees_organisation(self, organisation_id: int | None) -> bool:
        return organisation_id is not None and organisation_id in self.jurisdiction


SYSTEM = Actor(user_id=0, username="system", display_name="系统", organisation_id=0, organisation_kind="system",
               role_keys=frozenset(), jurisdiction=frozenset(), is_admin=True)
