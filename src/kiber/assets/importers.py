"""Catalogue import and export: CSV and XLSX, one row per information-resource category.

Columns (the header row names them; order is free; unknown columns are an error):

==================================  ============================================================
``system``                          system name (required)
``system_description``              system description
``in_ci_set``                       the system is in the critical infrastructure set (p. 35)
``controller_name``                 the system's controller (pārzinis); empty = the subject
``controller_registration_number``  controller's registration number
``depends_on``                      names of systems this one depends on, separated by ``;``
``resource``                        resource category name (empty: the row only declares the system)
``resource_description``            resource category description
the 12 Annex 4 indicators           named exactly as the ``security-class`` rule's input fields
``person_name``                     a responsible person of the system (seed 002, Table 8 #14)
``person_position``                 the person's position
``person_role``                     role: a ``PersonRole`` code (``owner``, ``administrator``, ...) or its
                                    Latvian name; empty = ``owner``
``person_email``, ``person_phone``  the person's contacts
``person_competences``              the person's competences
==================================  ============================================================

A row may carry a resource category, a responsible person, both, or neither (it then only declares the
system). Persons are matched by system, name and role (created or their other fields updated); the
export writes them on rows of their own.

Yes/no cells accept ``1/0``, ``jā/nē``, ``yes/no``, ``true/false``, ``x`` or empty (no); counts are whole
numbers (spaces allowed as thousands separators); the downtime is a percentage 0–100 (``,`` or ``.``).
The export adds the computed ``security_class``, ``confidentiality``, ``integrity``, ``availability``
columns; the import ignores them. Row numbers are spreadsheet rows (the header is row 1).

Validation reports every bad row with its row number and field before anything is saved.

Reading is bounded before it is done (issue 10, finding 7): an XLSX is refused when its archive declares
more than ``MAX_UNCOMPRESSED`` bytes once unpacked (a zip bomb; ``zipfile`` never unpacks more than an entry
declares), then read in openpyxl's streaming mode; both formats stop at the first row past ``MAX_ROWS``
(or past ``MAX_BLANK_ROWS`` empty rows) and read at most ``MAX_COLUMNS`` columns.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from kiber import xlsx
from kiber.assets.forms import PersonForm, ResourceForm
from kiber.assets.models import INDICATOR_FIELDS, InformationSystem, PersonRole, SystemDependency
from kiber.registry.models import Organisation

SYSTEM_COLUMNS = (
    "system",
    "system_description",
    "in_ci_set",
    "controller_name",
    "controller_registration_number",
    "depends_on",
)
RESOURCE_COLUMNS = ("resource", "resource_description", *INDICATOR_FIELDS)
# Column -> ResponsiblePerson field.
PERSON_COLUMNS: dict[str, str] = {
    "person_name": "name",
    "person_position": "position",
    "person_role": "role",
    "person_email": "email",
    "person_phone": "phone",
    "person_competences": "competences",
}
COLUMNS: tuple[str, ...] = SYSTEM_COLUMNS + RESOURCE_COLUMNS + tuple(PERSON_COLUMNS)
COMPUTED_COLUMNS = ("security_class", "confidentiality", "integrity", "availability")
BOOLEAN_COLUMNS = {"in_ci_set"} | {
    f
    for f in INDICATOR_FIELDS
    if f not in ("personal_data_subjects", "special_category_subjects", "tolerated_unplanned_downtime_pct")
}
COUNT_COLUMNS = {"personal_data_subjects", "special_category_subjects"}
_TRUE = {"1", "jā", "ja", "yes", "y", "true", "x", "patiess"}
_FALSE = {"", "0", "nē", "ne", "no", "n", "false", "aplams"}
MAX_ROWS = 5000
MAX_BLANK_ROWS = 10_000  # spreadsheet programs keep formatted empty rows under the data
MAX_COLUMNS = 64  # twice the known columns: enough to report unknown ones
MAX_UNCOMPRESSED = 20 * 1024 * 1024


@dataclass
class RowError:
    row: int
    field: str
    message: str


@dataclass
class SystemPlan:
    name: str
    data: dict[str, Any]
    depends_on: list[str]
    resources: list[dict[str, Any]] = field(default_factory=list)
    persons: list[dict[str, Any]] = field(default_factory=list)
    exists: bool = False
    rows: list[int] = field(default_factory=list)


@dataclass
class ImportPlan:
    systems: dict[str, SystemPlan]
    errors: list[RowError]
    row_count: int

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def resource_count(self) -> int:
        return sum(len(s.resources) for s in self.systems.values())

    @property
    def person_count(self) -> int:
        return sum(len(s.persons) for s in self.systems.values())


class ImportFileError(Exception):
    """The file cannot be read at all (not a table, no header, wrong columns)."""


# --- reading ----------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return xlsx.unquote(str(value)).strip()  # the export's CSV quoted text that looked like a formula


def read_rows(name: str, content: bytes) -> list[dict[str, str]]:
    """Rows as {column: text}, keyed by the header's column names; each with its ``__row`` number."""
    table = _read_xlsx(content) if name.lower().endswith(".xlsx") else _read_csv(content)
    with closing(table):
        return _rows(table)


def _too_many() -> ImportFileError:
    return ImportFileError(_("Failā ir vairāk nekā %(n)s rindu.") % {"n": MAX_ROWS})


def _rows(table: Iterator[list[Any]]) -> list[dict[str, str]]:
    first = next(table, None)
    if first is None:
        raise ImportFileError(_("Fails ir tukšs."))
    header = [_cell(h).strip().lower() for h in first]
    unknown = [h for h in header if h and h not in COLUMNS and h not in COMPUTED_COLUMNS]
    if unknown:
        raise ImportFileError(_("Nezināmas kolonnas: %(cols)s.") % {"cols": ", ".join(unknown)})
    missing = [c for c in ("system", "resource", "tolerated_unplanned_downtime_pct") if c not in header]
    if missing:
        raise ImportFileError(_("Trūkst kolonnu: %(cols)s.") % {"cols": ", ".join(missing)})
    rows: list[dict[str, Any]] = []
    blank = 0
    for number, values in enumerate(table, start=2):
        cells = [_cell(v) for v in values[:MAX_COLUMNS]]
        if not any(cells):
            blank += 1
            if blank > MAX_BLANK_ROWS:
                raise _too_many()
            continue
        if len(rows) == MAX_ROWS:
            raise _too_many()
        row: dict[str, Any] = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h in COLUMNS}
        row["__row"] = number
        rows.append(row)
    return rows


def _read_csv(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("CSV failam jābūt UTF-8 kodējumā.")) from None
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def _check_archive(content: bytes) -> None:
    """Refuse what is no zip archive, or one that would unpack to more than ``MAX_UNCOMPRESSED`` bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise ImportFileError(_("XLSX failu nevar nolasīt.")) from None
    if unpacked > MAX_UNCOMPRESSED:
        raise ImportFileError(
            _("XLSX fails atpakots būtu lielāks par %(mb)s MB.") % {"mb": MAX_UNCOMPRESSED // (1024 * 1024)}
        )


def _read_xlsx(content: bytes) -> Iterator[list[Any]]:
    """The first sheet's rows, streamed (openpyxl's read-only mode), at most ``MAX_COLUMNS`` wide."""
    from openpyxl import load_workbook

    _check_archive(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — any unreadable workbook is the same user error
        raise ImportFileError(_("XLSX failu nevar nolasīt.")) from None
    try:
        for row in workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True):
            yield list(row)
    except Exception:  # noqa: BLE001 — a sheet that breaks while streaming is as unreadable
        raise ImportFileError(_("XLSX failu nevar nolasīt.")) from None
    finally:
        workbook.close()


# --- validating -------------------------------------------------------------------------------------


def _bool(text: str) -> bool | None:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


def _resource_form_data(row: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Form data for ResourceForm and the cell-level errors (yes/no and number syntax)."""
    data: dict[str, Any] = {"name": row.get("resource", ""), "description": row.get("resource_description", "")}
    errors: list[tuple[str, str]] = []
    for column in INDICATOR_FIELDS:
        text = row.get(column, "")
        if column in BOOLEAN_COLUMNS:
            value = _bool(text)
            if value is None:
                errors.append((column, _("Jābūt „jā” vai „nē” (1/0), nevis „%(v)s”.") % {"v": text}))
            elif value:
                data[column] = "on"
        elif column in COUNT_COLUMNS:
            compact = text.replace(" ", "").replace("\u00a0", "")
            data[column] = compact or "0"
        else:
            data[column] = text.replace(",", ".")
    return data, errors


def _role(text: str) -> str | None:
    """A role code from its code or its Latvian (or current language's) name; None when unknown."""
    value = text.strip().lower()
    if not value:
        return PersonRole.OWNER
    for code, label in PersonRole.choices:
        if value in (code, str(label).lower()):
            return code
    return None


def _person_errors(row: dict[str, Any], plan: SystemPlan, seen: dict[tuple[str, str, str], int]) -> list[RowError]:
    """Validate the row's responsible person (if any) and add it to the system's plan."""
    number = row["__row"]
    cells = {column: row.get(column, "").strip() for column in PERSON_COLUMNS}
    if not any(cells.values()):
        return []
    role = _role(cells["person_role"])
    if role is None:
        codes = ", ".join(code for code, _label in PersonRole.choices)
        return [
            RowError(
                number,
                "person_role",
                _("Nezināma loma „%(v)s”; derīgas: %(codes)s.") % {"v": cells["person_role"], "codes": codes},
            )
        ]
    data = {field_name: cells[column] for column, field_name in PERSON_COLUMNS.items()}
    data["role"] = role
    form = PersonForm(data)
    if not form.is_valid():
        columns = {field_name: column for column, field_name in PERSON_COLUMNS.items()}
        return [
            RowError(number, columns.get(name, name), str(message))
            for name, messages in form.errors.items()
            for message in messages
        ]
    key = (plan.name, form.cleaned_data["name"], role)
    if key in seen:
        return [RowError(number, "person_name", _("Šī persona ar šo lomu jau ir %(row)s. rindā.") % {"row": seen[key]})]
    seen[key] = number
    plan.persons.append({**form.cleaned_data, "__row": number})
    return []


def validate(organisation: Organisation, rows: list[dict[str, Any]]) -> ImportPlan:
    """Check every row; the plan lists every error with its row number and field."""
    errors: list[RowError] = []
    systems: dict[str, SystemPlan] = {}
    existing = {s.name: s for s in InformationSystem.objects.filter(organisation=organisation)}
    seen_resources: dict[tuple[str, str], int] = {}
    seen_persons: dict[tuple[str, str, str], int] = {}

    for row in rows:
        number = row["__row"]
        name = row.get("system", "").strip()
        if not name:
            errors.append(RowError(number, "system", _("Norādiet sistēmas nosaukumu.")))
            continue
        if len(name) > 255:
            errors.append(RowError(number, "system", _("Nosaukums ir garāks par 255 zīmēm.")))
            continue
        plan = systems.get(name)
        in_ci = _bool(row.get("in_ci_set", ""))
        if in_ci is None:
            errors.append(RowError(number, "in_ci_set", _("Jābūt „jā” vai „nē” (1/0).")))
        system_data = {
            "description": row.get("system_description", ""),
            "in_ci_set": bool(in_ci),
            "controller_name": row.get("controller_name", ""),
            "controller_registration_number": row.get("controller_registration_number", ""),
        }
        depends_on = [d.strip() for d in row.get("depends_on", "").split(";") if d.strip()]
        if plan is None:
            plan = systems[name] = SystemPlan(
                name=name, data=system_data, depends_on=depends_on, exists=name in existing
            )
        else:
            for key, value in system_data.items():
                if value and plan.data.get(key) and plan.data[key] != value:
                    errors.append(
                        RowError(
                            number,
                            key if key != "description" else "system_description",
                            _("Atšķiras no citas šīs sistēmas rindas."),
                        )
                    )
                elif value:
                    plan.data[key] = value
            plan.depends_on += [d for d in depends_on if d not in plan.depends_on]
        plan.rows.append(number)
        if len(system_data["controller_registration_number"]) > 11:
            errors.append(RowError(number, "controller_registration_number", _("Ne vairāk kā 11 zīmes.")))
        errors += _person_errors(row, plan, seen_persons)

        if not row.get("resource", "").strip():
            if any(row.get(c, "").strip() for c in INDICATOR_FIELDS):
                errors.append(RowError(number, "resource", _("Norādiet resursu kategorijas nosaukumu.")))
            continue
        data, cell_errors = _resource_form_data(row)
        errors += [RowError(number, f, m) for f, m in cell_errors]
        form = ResourceForm(data)
        if not form.is_valid():
            for field_name, messages in form.errors.items():
                column = {"name": "resource", "description": "resource_description"}.get(field_name, field_name)
                errors += [RowError(number, column, str(m)) for m in messages]
            continue
        key = (name, form.cleaned_data["name"])
        if key in seen_resources:
            errors.append(
                RowError(
                    number, "resource", _("Šī resursu kategorija jau ir %(row)s. rindā.") % {"row": seen_resources[key]}
                )
            )
            continue
        seen_resources[key] = number
        cleaned = dict(form.cleaned_data)
        cleaned["__row"] = number
        plan.resources.append(cleaned)

    errors += _dependency_errors(organisation, systems, existing)
    errors.sort(key=lambda e: (e.row, e.field))
    return ImportPlan(systems=systems, errors=errors, row_count=len(rows))


def _dependency_errors(
    organisation: Organisation, systems: dict[str, SystemPlan], existing: dict[str, InformationSystem]
) -> list[RowError]:
    errors: list[RowError] = []
    known = set(existing) | set(systems)
    edges: dict[str, set[str]] = {}
    for dependent, provider in SystemDependency.objects.filter(dependent__organisation=organisation).values_list(
        "dependent__name", "provider__name"
    ):
        edges.setdefault(dependent, set()).add(provider)
    for plan in systems.values():
        for provider in plan.depends_on:
            if provider not in known:
                errors.append(
                    RowError(
                        plan.rows[0],
                        "depends_on",
                        _("Sistēma „%(name)s” nav ne failā, ne katalogā.") % {"name": provider},
                    )
                )
            elif provider == plan.name:
                errors.append(RowError(plan.rows[0], "depends_on", _("Sistēma nevar būt atkarīga pati no sevis.")))
            else:
                edges.setdefault(plan.name, set()).add(provider)
    # Any cycle in the combined graph is an error on the first row of each system in it.
    state: dict[str, int] = {}
    in_cycle: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in edges.get(node, ()):
            if state.get(nxt) == 1:
                in_cycle.update(path[path.index(nxt) :] if nxt in path else [nxt])
            elif state.get(nxt) is None:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(edges):
        if state.get(node) is None:
            visit(node, [node])
    for name in sorted(in_cycle):
        if name in systems:
            errors.append(RowError(systems[name].rows[0], "depends_on", _("Atkarības veido ciklu.")))
    return errors


# --- writing files ----------------------------------------------------------------------------------


def _export_value(value: Any) -> Any:
    if isinstance(value, bool):
        return 1 if value else 0
    return value


def export_rows(organisation: Organisation) -> list[list[Any]]:
    """Header plus one row per resource (a system without resources gets one row of its own)."""
    header = list(COLUMNS) + list(COMPUTED_COLUMNS)
    rows: list[list[Any]] = [header]
    systems = (
        InformationSystem.objects.filter(organisation=organisation)
        .prefetch_related("resources", "dependencies__provider", "responsible_persons")
        .order_by("name")
    )
    no_person = [""] * len(PERSON_COLUMNS)
    for system in systems:
        system_cells = [
            system.name,
            system.description,
            _export_value(system.in_ci_set),
            system.controller_name,
            system.controller_registration_number,
            ";".join(sorted(d.provider.name for d in system.dependencies.all())),
        ]
        computed = [system.security_class, system.confidentiality, system.integrity, system.availability]
        resources = list(system.resources.all())
        persons = list(system.responsible_persons.all())
        if not resources and not persons:
            rows.append(system_cells + [""] * len(RESOURCE_COLUMNS) + no_person + computed)
        for resource in resources:
            cells = [resource.name, resource.description] + [
                _export_value(getattr(resource, f)) for f in INDICATOR_FIELDS
            ]
            rows.append(system_cells + cells + no_person + computed)
        for person in persons:
            cells = [getattr(person, field_name) for field_name in PERSON_COLUMNS.values()]
            rows.append(system_cells + [""] * len(RESOURCE_COLUMNS) + cells + computed)
    return rows


def template_rows() -> list[list[Any]]:
    example = {
        "system": "Internetbanka",
        "system_description": "Klientu internetbanka",
        "in_ci_set": 0,
        "controller_name": "",
        "controller_registration_number": "",
        "depends_on": "Datu centrs",
        "resource": "Klientu personas dati",
        "resource_description": "",
        "personal_data_subjects": 1200000,
        "special_category_subjects": 0,
        "tolerated_unplanned_downtime_pct": Decimal("0.5"),
    }
    provider = {
        "system": "Datu centrs",
        "resource": "Virtualizācijas platforma",
        "tolerated_unplanned_downtime_pct": Decimal("1"),
    }
    person = {
        "system": "Internetbanka",
        "person_name": "Jānis Bērziņš",
        "person_position": "IT drošības vadītājs",
        "person_role": PersonRole.OWNER.value,
        "person_email": "janis.berzins@example.lv",
        "person_phone": "+37167000000",
    }
    return [list(COLUMNS)] + [
        [row.get(c, 0 if c in INDICATOR_FIELDS and "resource" in row else "") for c in COLUMNS]
        for row in (example, provider, person)
    ]


def to_csv(rows: list[list[Any]]) -> bytes:
    return xlsx.csv_bytes([_csv_value(v) for v in row] for row in rows)


def to_xlsx(rows: list[list[Any]], title: str) -> bytes:
    return xlsx.table(title, [[_xlsx_value(v) for v in row] for row in rows])


def _csv_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value
