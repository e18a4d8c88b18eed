"""The access layer's rules, checked on the source: they hold for code written tomorrow too.

- ``core`` imports nothing above it;
- ``log_access`` takes a typed ``Action``, never free text;
- a write and its audit event are in one transaction (the call sits inside the
  ``transaction.atomic()`` block of the write);
- views take their role sets from their app's ``access.py`` (or ``core.roles``), never
  define one of their own;
- the acting peer is found one way: ``workforce.access.current_peer``.
"""

import ast
from pathlib import Path

import pytest
from django.db import transaction

from entrepairs.core.audit import AuditOutsideTransaction, log_access
from entrepairs.core.models import AccessEvent, Action
from entrepairs.core.roles import Role

ROOT = Path(__file__).resolve().parents[2] / "entrepairs"
SOURCES = sorted(p for p in ROOT.rglob("*.py") if "migrations" not in p.parts)
WRITES = {"CREATE", "UPDATE", "DELETE"}


def parsed(path):
    return ast.parse(path.read_text(), filename=str(path))


def is_view_module(path: Path) -> bool:
    rel = path.relative_to(ROOT)
    return rel.name == "views.py" or "views" in rel.parts[:-1] or rel.name == "team.py"


def test_core_imports_nothing_above_it():
    offenders = []
    for path in (ROOT / "core").rglob("*.py"):
        for node in ast.walk(parsed(path)):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [
                f"{path.relative_to(ROOT)}: {name}"
                for name in names
                if name.startswith("entrepairs.") and not name.startswith("entrepairs.core")
            ]
    assert not offenders, offenders


def log_access_calls(tree):
    """(call, enclosing ``with transaction.atomic()`` depth) for each ``log_access`` call."""
    found = []

    def visit(node, atomic):
        if isinstance(node, ast.With | ast.AsyncWith) and any(
            isinstance(item.context_expr, ast.Call)
            and ast.unparse(item.context_expr.func).endswith("atomic")
            for item in node.items
        ):
            atomic = True
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            atomic = False
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "log_access":
            found.append((node, atomic))
        for child in ast.iter_child_nodes(node):
            visit(child, atomic)

    visit(tree, False)
    return found


def action_of(call):
    node = call.args[1] if len(call.args) > 1 else None
    for keyword in call.keywords:
        if keyword.arg == "action":
            node = keyword.value
    return node


def test_log_access_takes_a_typed_action():
    offenders = []
    for path in SOURCES:
        for call, _atomic in log_access_calls(parsed(path)):
            action = action_of(call)
            if isinstance(action, ast.Constant):
                offenders.append(f"{path.relative_to(ROOT)}:{call.lineno} {action.value!r}")
    assert not offenders, offenders


def test_every_write_is_logged_inside_its_transaction():
    """A write action (or an action passed in as a variable) logged outside ``atomic``."""
    offenders = []
    for path in SOURCES:
        if path.name == "audit.py":
            continue
        for call, atomic in log_access_calls(parsed(path)):
            action = action_of(call)
            is_read = isinstance(action, ast.Attribute) and action.attr not in WRITES
            if not is_read and not atomic:
                offenders.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert not offenders, "Écritures journalisées hors transaction : " + ", ".join(offenders)


def defines_role_set(node) -> bool:
    if not isinstance(node, ast.Assign | ast.AnnAssign):
        return False
    value = node.value
    if not isinstance(value, ast.Set | ast.Tuple | ast.List | ast.Call | ast.BinOp):
        return False  # a dict of labels by role, say, is not a rule of access
    return any(
        isinstance(n, ast.Attribute) and ast.unparse(n.value) == "Role" for n in ast.walk(value)
    )


def test_views_define_no_role_set_of_their_own():
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in SOURCES
        if is_view_module(path)
        for node in parsed(path).body
        if defines_role_set(node)
    ]
    assert not offenders, "Ensembles de rôles hors de access.py : " + ", ".join(offenders)


def test_the_acting_peer_is_found_one_way():
    """Only ``workforce/access.py`` looks a peer up from the signed-in user."""
    offenders = []
    for path in SOURCES:
        if path.relative_to(ROOT).as_posix() == "entrepairs/workforce/access.py"[11:]:
            continue
        source = path.read_text()
        for needle in ("PeerWorker.objects.visible_to(request.membership).first()", "_peer_worker"):
            if needle in source:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert not offenders, offenders


class FakeRequest:
    path = "/"
    request_id = ""
    membership = None

    class user:  # noqa: N801 - an anonymous user stand-in
        is_authenticated = False


@pytest.mark.django_db
def test_free_text_action_is_refused():
    with pytest.raises(TypeError):
        log_access(FakeRequest(), "view", model=AccessEvent, ids=[1])
    assert Action.VIEW == "view" and Role.PEER == "peer"


@pytest.mark.django_db(transaction=True)
def test_a_write_logged_outside_a_transaction_is_refused():
    with pytest.raises(AuditOutsideTransaction):
        log_access(FakeRequest(), Action.UPDATE, model=AccessEvent, ids=[1])
    assert not AccessEvent.objects.exists()
    with transaction.atomic():
        log_access(FakeRequest(), Action.UPDATE, model=AccessEvent, ids=[1])
    assert AccessEvent.objects.count() == 1
