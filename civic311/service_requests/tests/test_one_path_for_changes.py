"""Service requests and their timeline are written only by the actions (DESIGN.md): by the two
modules of service_requests/actions that write, and nothing else."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.db.models.signals import post_delete, pre_save

from civic311.choices import Channel, Status
from civic311.service_requests import actions
from civic311.service_requests.models import ReporterContact, ServiceRequest, TimelineEntry
from civic311.testing import Places, Services

ROOT = Path(__file__).resolve().parents[2]
PROTECTED = {"ServiceRequest", "TimelineEntry", "ReporterContact", "TrackingCounter"}
WRITES = {
    "save",
    "delete",
    "create",
    "update",
    "bulk_create",
    "bulk_update",
    "update_or_create",
    "get_or_create",
}
# The only modules allowed to write them: the actions' records (changes to a stored request and
# every timeline entry) and submission (a new request), and the counter behind tracking numbers.
ACTIONS = ROOT / "service_requests" / "actions"
ALLOWED = {
    ACTIONS / "records.py",
    ACTIONS / "submission.py",
    ROOT / "service_requests" / "tracking.py",
}


def _production_modules() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path.name != "testing.py"
        and path not in ALLOWED
    ]


def _writes_to_protected_models(tree: ast.AST) -> list[int]:
    """Lines with `Model.objects....write(...)`, and `obj.save()`/`obj.delete()` in a module that
    imports a protected model."""
    imports = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name in PROTECTED
    }
    lines = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in WRITES:
            continue
        chain = ast.unparse(node.func.value)
        if any(chain.startswith(f"{name}.") or chain == name for name in imports):
            lines.append(node.lineno)
        elif (
            imports
            and node.func.attr in {"save", "delete"}
            and isinstance(node.func.value, ast.Name)
        ):
            # `request.save()` where a request model is in scope. Chains such as
            # `service.attributes.all().delete()` are other models' querysets.
            lines.append(node.lineno)
    return lines


def test_no_module_but_the_actions_writes_requests_or_their_timeline() -> None:
    offenders = {
        str(path.relative_to(ROOT)): lines
        for path in _production_modules()
        if (lines := _writes_to_protected_models(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}


def test_the_scan_does_catch_a_raw_save() -> None:
    code = (
        "from civic311.service_requests.models import ServiceRequest\n"
        "def sneaky(r):\n    r.status = 'closed_fixed'\n    r.save()\n"
        "def sneakier():\n    ServiceRequest.objects.filter(pk=1).update(status='open')\n"
    )
    assert _writes_to_protected_models(ast.parse(code)) == [4, 6]


@pytest.mark.django_db
def test_at_run_time_every_write_comes_from_the_actions(services: Services, places: Places) -> None:
    """The same rule, watched while the whole life of a request is played through actions."""
    writers: list[str] = []

    def watch(sender: type, **kwargs: object) -> None:
        import inspect

        # The innermost of our own production modules on the stack is the one writing.
        files = [Path(frame.filename) for frame in inspect.stack()]
        ours = [f for f in files if f.is_relative_to(ROOT) and "tests" not in f.parts]
        writers.append(str(ours[0] if ours else files[-1]))

    models = (ServiceRequest, TimelineEntry, ReporterContact)
    for model in models:
        pre_save.connect(watch, sender=model)
        post_delete.connect(watch, sender=model)
    try:
        lat, long = places.ward1_near_west
        staff = actions.Actor(label="Transportation")
        request = actions.submit_request(
            service_code="pothole",
            channel=Channel.SMS,
            actor=actions.Actor.resident(),
            lat=lat,
            long=long,
            answers={"location": "alley"},
            contact=actions.Contact(phone="+13125550100"),
        ).request
        actions.change_status(request=request, status=Status.SCHEDULED, actor=staff)
        actions.close(request=request, status=Status.CLOSED_FIXED, actor=staff)
        actions.reopen(request=request, actor=staff, note="Sunk again.")
        actions.add_note(request=request, actor=staff, note="Crew on the way.", public=True)
    finally:
        for model in models:
            pre_save.disconnect(watch, sender=model)
            post_delete.disconnect(watch, sender=model)
    assert writers and {Path(w) for w in writers} <= ALLOWED
