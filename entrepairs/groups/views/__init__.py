"""Views of the groups app, by topic: groups (list, form, detail) and their sessions."""

from .groups import group_create, group_detail, group_edit, group_list, group_list_export
from .sessions import session_create, session_delete, session_update

__all__ = [
    "group_create",
    "group_detail",
    "group_edit",
    "group_list",
    "group_list_export",
    "session_create",
    "session_delete",
    "session_update",
]
