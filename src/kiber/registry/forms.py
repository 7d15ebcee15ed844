"""Registry forms. Each ``save`` calls one service; a service's RegistryError becomes field errors."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kiber import versioning
from kiber.registry import sectors, services
from kiber.registry.choices import MEMBER_STATES, Category, CICategory, CINotice, Duty, NoticeType, SabCheck
from kiber.registry.models import ManagerAppointment, Organisation, ResponsiblePerson, Submission, User
from kiber.registry.validators import (
    birth_date_from_personal_code,
    normalise_personal_code,
    parse_ip_ranges,
    validate_registration_number,
)
from kiber.rules.country_groups import ISO_3166_ALPHA2
from kiber.versioning import VersionedForm

PHONE = re.compile(r"^\+?[0-9 ()-]{7,20}$")


def validate_phone(value: str) -> None:
    if not PHONE.match(value or ""):
        raise ValidationError(_("Tālruņa numurs, piemēram, +371 67000000."), code="phone")


class ServiceForm(forms.Form):
    """Copies a service's RegistryError onto the form's fields (unknown fields -> non-field errors)."""

    def apply(self, exc: services.RegistryError) -> None:
        for field, messages in exc.errors.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganisationFields(ServiceForm):
    """The subject's registration data (22-TA-3183 ch. 2, Annexes 1–2; NIS2 Art. 3(4))."""

    name = forms.CharField(label=_("Nosaukums"), max_length=255)
    legal_address = forms.CharField(label=_("Juridiskā adrese"), max_length=255)
    postal_address = forms.CharField(label=_("Pasta adrese"), max_length=255, required=False)
    email = forms.EmailField(label=_("E-pasts"))
    phone = forms.CharField(label=_("Tālrunis"), max_length=32, validators=[validate_phone])
    website = forms.URLField(label=_("Tīmekļvietne"), required=False, assume_scheme="https")
    sector = forms.ChoiceField(label=_("Nozare (NIS2 I/II pielikums)"))
    subsector = forms.ChoiceField(
        label=_("Apakšnozare"), required=False, help_text=_("Enerģētikai, transportam un ražošanai obligāta.")
    )
    entity_kind = forms.ChoiceField(
        label=_("Subjekta veids"),
        help_text=_("Valsts vai pašvaldību pārvaldes iestādēm izvēlieties publiskās pārvaldes veidu."),
    )
    employees = forms.IntegerField(label=_("Darbinieku skaits"), min_value=0)
    annual_turnover_eur = forms.DecimalField(
        label=_("Gada apgrozījums, EUR"), min_value=0, max_digits=15, decimal_places=2
    )
    balance_sheet_eur = forms.DecimalField(
        label=_("Bilances kopsumma, EUR"), min_value=0, max_digits=15, decimal_places=2
    )
    is_domain_registrar = forms.BooleanField(
        label=_("Domēna vārdu reģistrācijas pakalpojumu sniedzējs"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from kiber.registry.choices import EntityKind

        self.fields["sector"].choices = [("", "—"), *sectors.sector_choices()]
        self.fields["subsector"].choices = [("", "—"), *sectors.subsector_choices()]
        self.fields["entity_kind"].choices = EntityKind.choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        sector, subsector = data.get("sector"), data.get("subsector") or ""
        if sector:
            allowed = sectors.subsectors_of(sector)
            if allowed and not subsector:
                self.add_error("subsector", _("Šai nozarei norādiet apakšnozari."))
            elif subsector and subsector not in allowed:
                self.add_error("subsector", _("Apakšnozare nepieder izvēlētajai nozarei."))
        return data


class CIDesignationForm(ServiceForm):
    """SAB records its notice about a subject's ICT critical infrastructure (p. 107.3)."""

    registration_number = forms.CharField(
        label=_("Subjekta reģistrācijas numurs"), max_length=11, validators=[validate_registration_number]
    )
    notice = forms.ChoiceField(label=_("Paziņojums"), choices=CINotice.choices)
    category = forms.ChoiceField(
        label=_("Kategorija"),
        choices=[("", "—"), *CICategory.choices],
        required=False,
        help_text=_("Iekļaušanai un Eiropas mēroga noteikšanai obligāta (107.1. p.)."),
    )
    notice_date = forms.DateField(label=_("Paziņojuma datums"), widget=_date_input())
    reference = forms.CharField(label=_("Paziņojuma numurs"), max_length=100, required=False)
    note = forms.CharField(label=_("Piezīmes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def save(self, actor: User) -> Any:
        data = dict(self.cleaned_data)
        organisation = Organisation.objects.filter(registration_number=data.pop("registration_number")).first()
        if organisation is None:
            self.add_error("registration_number", _("Subjekts ar šādu reģistrācijas numuru nav reģistrēts."))
            return None
        try:
            return services.record_ci_designation(actor, organisation, data)
        except services.RegistryError as exc:
            self.apply(exc)
            return None


class OrganisationForm(VersionedForm, OrganisationFields):
    """The subject edits its own data; the category is recomputed by the rule on save.

    A save over a version someone else saved meanwhile raises ``StaleVersion`` (the view shows the conflict).
    """

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        initial = {f: getattr(organisation, f) for f in services.SUBJECT_EDITABLE_FIELDS}
        super().__init__(*args, initial={**initial, "version": organisation.version}, **kwargs)
        self.organisation = organisation

    def save(self, actor: User) -> Organisation | None:
        try:
            return services.update_organisation(actor, self.organisation, self.cleaned_data)
        except services.RegistryError as exc:
            self.apply(exc)
            return None


class RegisterSubjectForm(OrganisationFields):
    """NKC registers a new subject and its first subject administrator."""

    registration_number = forms.CharField(
        label=_("Reģistrācijas numurs"),
        max_length=11,
        validators=[validate_registration_number],
        help_text=_("11 cipari."),
    )
    admin_first_name = forms.CharField(label=_("Administratora vārds"), max_length=150)
    admin_last_name = forms.CharField(label=_("Administratora uzvārds"), max_length=150)
    admin_email = forms.EmailField(label=_("Administratora e-pasts"))
    admin_username = forms.RegexField(
        label=_("Administratora lietotājvārds"),
        regex=r"^[a-z0-9._-]{3,150}$",
        error_messages={"invalid": _("Mazie latīņu burti, cipari, punkts, defise; vismaz 3 zīmes.")},
    )

    field_order = ["registration_number", "name"]

    def save(self, actor: User) -> services.NewSubject | None:
        data = dict(self.cleaned_data)
        admin = {
            "username": data.pop("admin_username"),
            "first_name": data.pop("admin_first_name"),
            "last_name": data.pop("admin_last_name"),
            "email": data.pop("admin_email"),
        }
        try:
            return services.register_subject(actor, data, admin)
        except services.RegistryError as exc:
            self.apply(exc)
            return None


class CategoryOverrideForm(VersionedForm, ServiceForm):
    category = forms.ChoiceField(label=_("Uzrauga noteiktā kategorija"), required=False)
    reason = forms.CharField(label=_("Pamatojums"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("— atcelt, izmantot aprēķināto —")), *Category.choices]

    def save(self, actor: User, organisation: Organisation) -> Organisation | None:
        try:
            return services.override_category(
                actor, organisation, self.cleaned_data["category"], self.cleaned_data["reason"],
                self.cleaned_data.get("version"),
            )
        except services.RegistryError as exc:
            self.apply(exc)
            return None


class StatusNotificationForm(ServiceForm):
    """Status notification (paziņojums par statusu), 22-TA-3183 p. 8–10, Annexes 1–2.

    The annexes of the draft are titles only, so the fields follow NIS2 Art. 3(4) (name, address and
    up-to-date contact details including e-mail and telephone, sector/subsector, the member states
    where services are provided) and Art. 27(2) (main and other establishments, IP ranges). The
    subject's own data (name, registration number, addresses, sector, size) is taken from its
    registration record and frozen into the snapshot together with these fields.
    """

    notice_type = forms.ChoiceField(label=_("Paziņojuma iemesls"))
    contact_name = forms.CharField(label=_("Kontaktpersona"), max_length=200)
    contact_position = forms.CharField(label=_("Kontaktpersonas amats"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Kontaktpersonas e-pasts"))
    contact_phone = forms.CharField(label=_("Kontaktpersonas tālrunis"), max_length=32, validators=[validate_phone])
    services = forms.CharField(
        label=_("Sniegtie pakalpojumi"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pakalpojumi, kuru dēļ subjekts ir būtisko vai svarīgo pakalpojumu sniedzējs."),
    )
    member_states = forms.MultipleChoiceField(
        label=_("Dalībvalstis, kurās sniedz pakalpojumus"),
        choices=MEMBER_STATES,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checks"}),
    )
    ip_ranges = forms.CharField(
        label=_("Publisko IP adrešu apgabali (CIDR)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pa vienam rindā, piemēram, 195.13.128.0/20 vai 2a02:610::/32."),
    )
    establishments = forms.CharField(
        label=_("Citas darbības vietas ES"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    loss_reason = forms.CharField(
        label=_("Statusa zaudēšanas iemesls"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Tikai paziņojumam par statusa zaudēšanu (8.3. p.)."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        self.organisation = organisation
        last = organisation.submissions.filter(kind="status").order_by("-version").first()
        initial = kwargs.pop("initial", {}) or {}
        if last is not None:
            snap = last.snapshot
            contact = snap.get("contact_person", {})
            initial.update(
                notice_type=NoticeType.CHANGE,
                contact_name=contact.get("name", ""),
                contact_position=contact.get("position", ""),
                contact_email=contact.get("email", ""),
                contact_phone=contact.get("phone", ""),
                services=snap.get("services", ""),
                member_states=snap.get("member_states", []),
                ip_ranges="\n".join(snap.get("ip_ranges", [])),
                establishments=snap.get("establishments", ""),
            )
        else:
            initial.update(
                notice_type=NoticeType.INITIAL,
                member_states=["LV"],
                contact_email=organisation.email,
                contact_phone=organisation.phone,
            )
        super().__init__(*args, initial=initial, **kwargs)
        # After a loss (p. 8.3, 10.3) only a new initial notice (p. 8.1, 10.1) is possible.
        restarting = last is None or organisation.status_lost_at is not None
        types = [NoticeType.INITIAL] if restarting else [NoticeType.CHANGE, NoticeType.LOSS]
        self.fields["notice_type"].choices = [(t.value, t.label) for t in types]

    def clean_ip_ranges(self) -> list[str]:
        return parse_ip_ranges(self.cleaned_data.get("ip_ranges", ""))

    def save(self, actor: User) -> Submission | None:
        try:
            return services.submit_status_notification(actor, self.organisation, self.cleaned_data)
        except services.RegistryError as exc:
            self.apply(exc)
            return None


def _declaration(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "—"), ("no", _("Nē")), ("yes", _("Jā"))],
        coerce=lambda v: v == "yes",
        empty_value=None,
        required=False,
    )


CI_ONLY = (
    "former_security_service_affiliation",
    "banned_organisation_member",
    "organised_crime_or_illegal_armed_group",
    "reliability_doubting_disorder_or_dependence",
    "state_secret_clearance",
)


class ManagerForm(ServiceForm):
    """Appointment of the cybersecurity manager (Annex 3); checked by the manager-eligibility rule.

    ``replaces`` carries the current appointment the editor saw (0: none): if someone appointed another
    manager meanwhile, the save raises ``StaleVersion``.
    """

    replaces = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    first_name = forms.CharField(label=_("Vārds"), max_length=100)
    last_name = forms.CharField(label=_("Uzvārds"), max_length=100)
    personal_code = forms.CharField(
        label=_("Personas kods"),
        max_length=12,
        required=False,
        help_text=_("Ar to personu atpazīst citos subjektos (19.–21. p.); ja nav, pēc e-pasta."),
    )
    birth_date = forms.DateField(
        label=_("Dzimšanas datums"),
        required=False,
        widget=_date_input(),
        help_text=_("Nav jānorāda, ja personas kodā ir dzimšanas datums."),
    )
    email = forms.EmailField(label=_("E-pasts"))
    phone = forms.CharField(label=_("Tālrunis"), max_length=32, validators=[validate_phone])
    position = forms.CharField(label=_("Amats"), max_length=200, required=False)
    citizenships = forms.CharField(
        label=_("Pilsonība (valstu kodi)"),
        initial="LV",
        help_text=_("ISO divburtu kodi, atdalīti ar komatu, piemēram, LV vai LV, LT."),
    )
    term_start = forms.DateField(label=_("Pilnvaru sākums"), widget=_date_input())
    term_end = forms.DateField(
        label=_("Pilnvaru beigas"),
        required=False,
        widget=_date_input(),
        help_text=_("IKT kritiskās infrastruktūras īpašniekam — ne ilgāk kā 3 gadi (16. p.)."),
    )
    education = forms.CharField(label=_("Izglītība"), max_length=255, required=False)
    education_in_cybersecurity = forms.BooleanField(
        label=_("Augstākā vai vidējā profesionālā izglītība kiberdrošības pārvaldībā vai saistītā jomā"), required=False
    )
    experience_months = forms.IntegerField(
        label=_("Darba pieredze kiberdrošības pārvaldībā, mēneši"), min_value=0, initial=0
    )
    certificates = forms.CharField(
        label=_("Sertifikāti"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Pa vienam rindā: nosaukums un, ja ir, derīguma termiņš, piemēram, „CISM, 2027-06-30”."),
    )
    under_guardianship = _declaration(_("Vai pār personu ir nodibināta aizgādnība? (12.3. p.)"))
    intentional_offence_conviction = _declaration(_("Vai persona ir sodīta par tīšu noziedzīgu nodarījumu? (12.4. p.)"))
    conviction_cleared = forms.BooleanField(
        label=_("Persona ir reabilitēta, vai sodāmība ir noņemta vai dzēsta"), required=False
    )
    former_security_service_affiliation = _declaration(
        _(
            "Vai persona ir bijusi PSRS, Latvijas PSR vai ārvalsts drošības, izlūkošanas vai pretizlūkošanas dienesta "
            "darbinieks, aģents, rezidents vai konspiratīvā dzīvokļa turētājs? (12.6. p.)"
        )
    )
    banned_organisation_member = _declaration(
        _("Vai persona ir vai ir bijusi aizliegtas organizācijas dalībnieks pēc tās aizliegšanas? (12.7. p.)")
    )
    organised_crime_or_illegal_armed_group = _declaration(
        _("Vai persona pieder pie organizētās noziedzības grupējuma vai nelikumīga bruņota formējuma? (12.8. p.)")
    )
    reliability_doubting_disorder_or_dependence = _declaration(
        _(
            "Vai personai ir diagnosticēti psihiski traucējumi vai atkarība, kas dod pamatu apšaubīt "
            "uzticamību? (12.9. p.)"
        )
    )
    state_secret_clearance = forms.BooleanField(
        label=_("Personai ir speciālā atļauja pieejai valsts noslēpumam (15. p.)"), required=False
    )
    subject_in_managed_group = forms.BooleanField(
        label=_(
            "Subjekts ir pakļauts būtisko pakalpojumu sniedzējam, kurā persona jau ir pārvaldnieks, "
            "vai tas ir tā kapitāldaļu īpašnieks (21. p.)"
        ),
        required=False,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        current = services.active_appointment(organisation)
        self.fields["replaces"].initial = current.pk if current else versioning.NEW
        self.tier = services.subject_tier(organisation)
        if self.tier != "ci_owner":
            for name in CI_ONLY:
                del self.fields[name]
        if self.tier == "important":
            del self.fields["intentional_offence_conviction"]
            del self.fields["conviction_cleared"]
        if self.tier != "essential":
            del self.fields["subject_in_managed_group"]

    def clean_personal_code(self) -> str:
        value = self.cleaned_data.get("personal_code", "")
        return normalise_personal_code(value) if value else ""

    def clean_citizenships(self) -> list[str]:
        codes = [
            c.strip().upper() for c in re.split(r"[,\s;]+", self.cleaned_data.get("citizenships", "")) if c.strip()
        ]
        unknown = [c for c in codes if c not in ISO_3166_ALPHA2]
        if not codes:
            raise ValidationError(_("Norādiet vismaz vienu pilsonību."))
        if unknown:
            raise ValidationError(_("Nezināmi valstu kodi: %(codes)s"), params={"codes": ", ".join(unknown)})
        return list(dict.fromkeys(codes))

    def clean_certificates(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = []
        for line in (self.cleaned_data.get("certificates") or "").splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in re.split(r"[,;]", line) if p.strip()]
            name, valid_until = parts[0], None
            if len(parts) > 1:
                try:
                    valid_until = date.fromisoformat(parts[1])
                except ValueError:
                    raise ValidationError(
                        _("Nederīgs derīguma termiņš „%(value)s” (GGGG-MM-DD)."), params={"value": parts[1]}
                    ) from None
            result.append({"name": name[:200], "valid_until": valid_until})
        return result

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("birth_date") and data.get("personal_code"):
            data["birth_date"] = birth_date_from_personal_code(data["personal_code"])
        if not data.get("birth_date") and "birth_date" not in self.errors:
            self.add_error("birth_date", _("Norādiet dzimšanas datumu (personas kodā tā nav)."))
        for name in ("conviction_cleared", "state_secret_clearance", "subject_in_managed_group"):
            data.setdefault(name, False)
        if data.get("term_start") and data.get("term_end") and data["term_end"] < data["term_start"]:
            self.add_error("term_end", _("Beigas nevar būt pirms sākuma."))
        return data

    def save(self, actor: User) -> ManagerAppointment | None:
        try:
            return services.appoint_manager(actor, self.organisation, self.cleaned_data)
        except services.RegistryError as exc:
            self.apply(exc)
            return None


class ResponsiblePersonsForm(ServiceForm):
    """The persons responsible for the plan, logs and backups (p. 22), one per duty."""

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        # Each duty's person has its own version (0: none yet), carried in a hidden field.
        initial: dict[str, Any] = {f"{duty}_version": versioning.NEW for duty in Duty.values}
        for person in ResponsiblePerson.objects.filter(organisation=organisation):
            initial.update(
                {
                    f"{person.duty}_name": person.full_name,
                    f"{person.duty}_personal_code": person.personal_code,
                    f"{person.duty}_email": person.email,
                    f"{person.duty}_version": person.version,
                }
            )
        super().__init__(*args, initial=initial, **kwargs)
        self.organisation = organisation
        for duty in Duty:
            self.fields[f"{duty.value}_name"] = forms.CharField(
                label=duty.label, max_length=200, required=False, help_text=_("Vārds, uzvārds")
            )
            self.fields[f"{duty.value}_personal_code"] = forms.CharField(
                label=_("Personas kods"), max_length=12, required=False
            )
            self.fields[f"{duty.value}_email"] = forms.EmailField(label=_("E-pasts"), required=False)
            self.fields[f"{duty.value}_version"] = forms.IntegerField(
                widget=forms.HiddenInput, min_value=versioning.NEW, required=False
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for duty in Duty.values:
            code = data.get(f"{duty}_personal_code")
            if code:
                try:
                    data[f"{duty}_personal_code"] = normalise_personal_code(code)
                except ValidationError as exc:
                    self.add_error(f"{duty}_personal_code", exc)
        return data

    def save(self, actor: User) -> bool:
        for duty in Duty.values:
            services.set_responsible_person(
                actor,
                self.organisation,
                duty,
                self.cleaned_data.get(f"{duty}_name", ""),
                self.cleaned_data.get(f"{duty}_personal_code", ""),
                self.cleaned_data.get(f"{duty}_email", ""),
                self.cleaned_data.get(f"{duty}_version"),
            )
        return True


class SabCheckForm(VersionedForm, ServiceForm):
    sab_check = forms.ChoiceField(label=_("SAB pārbaudes rezultāts"), choices=SabCheck.choices)
