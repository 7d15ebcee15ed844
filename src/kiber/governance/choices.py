"""Every enumeration of the governance records in one place (22-TA-3183 ch. 3.2–3.5, 4, 5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentPart(models.TextChoices):
    """The four parts of the management documentation set (p. 23)."""

    POLICY = "policy", _("Kiberdrošības politika (23.1. p.)")
    CATALOGUE = "catalogue", _("IKT resursu un informācijas sistēmu katalogs (23.2. p.)")
    PLAN = "plan", _("Kiberrisku pārvaldības un IKT darbības nepārtrauktības plāns (23.3. p.)")
    INCIDENT_LOG = "incident_log", _("Kiberincidentu žurnāls (23.4. p.)")


# p. 28.1: a CI owner delivers these parts to SAB within a month of approval or update.
SAB_DELIVERED_PARTS = (DocumentPart.POLICY, DocumentPart.PLAN)

# p. 30.1–30.5: what the policy must contain.
POLICY_CONTENT = (
    ("30.1", _("Vispārīga informācija par subjektu, darbības jomu, pakalpojumiem un procesiem")),
    ("30.2", _("Kiberdrošības pārvaldības mērķi, principi un vispārīgas pamatnostādnes")),
    ("30.3", _("Pārvaldības struktūra, atbildīgo personu un struktūrvienību funkcijas, sadarbība")),
    ("30.4", _("Nozīmīgākie kiberapdraudējumu veidi, kuriem pakļauti IKT resursi un sistēmas")),
    ("30.5", _("Saistošo normatīvo aktu, standartu un sertifikācijas shēmu prasības")),
)


class ContractSubject(models.TextChoices):
    """What an outsourcing contract acquires (the outsourcing-eligibility rule's ``contract_subject``)."""

    SERVICE = "service", _("Pakalpojums")
    TECHNICAL_RESOURCE = "technical_resource", _("Tehniskie resursi")
    BOTH = "service_and_technical_resource", _("Pakalpojums un tehniskie resursi")


class PartyKind(models.TextChoices):
    LEGAL = "legal_person", _("Juridiska persona")
    NATURAL = "natural_person", _("Fiziska persona")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Sagatavošanā")
    CONCLUDED = "concluded", _("Noslēgts")
    ENDED = "ended", _("Izbeigts")


class Eligibility(models.TextChoices):
    """The outsourcing-eligibility rule's ``decision``."""

    ALLOWED = "allowed", _("Atļauts")
    SAB_OPINION_REQUIRED = "sab_opinion_required", _("Nepieciešams SAB atzinums")
    FORBIDDEN = "forbidden", _("Aizliegts")


# p. 86–87: the clauses the contract provides for.
CONTRACT_CLAUSES = (
    ("86.1", _("Ārpakalpojuma apraksts, apjoma un kvalitātes prasības")),
    ("86.2", _("Norādes uz likuma un noteikumu prasībām")),
    ("86.3.1", _("Subjekta tiesības uzraudzīt kvalitāti un saņemt informāciju, arī žurnālfailus")),
    ("86.3.2", _("Sniedzēja pienākums nekavējoties ziņot par kiberincidentu un to novērst")),
    ("86.3.3", _("Sniedzēja pienākums informēt par apakšuzņēmējiem un to atbilstību")),
    ("86.3.4", _("Konfidencialitātes saistības")),
    ("86.4", _("Tīklam vai informācijas sistēmai veicamās pārbaudes")),
    ("86.5", _("Piekļuves prasības datiem; datu dzēšana vai atdošana pēc līguma beigām")),
    ("87.1", _("Sistēmas uzturēšanas un atbalsta laikposms (izstrādes līgumam)")),
    ("87.2", _("Ekspluatācija ar jaunākām obligātā programmnodrošinājuma versijām")),
    ("87.3", _("A un B konfidencialitātes klasei: tikai sintētiski dati un testa vide")),
)


class OpinionStatus(models.TextChoices):
    """SAB's opinion on a request (p. 92, 94.2, 102.2)."""

    FILED = "filed", _("Iesniegts, gaida atzinumu")
    POSITIVE = "positive", _("Pozitīvs atzinums (92. p.)")
    EXCEPTION = "exception", _("Līgumu var slēgt izņēmuma kārtā (94.2. p.)")
    NO_NEGATIVE = "no_negative", _("Nav negatīvas informācijas (102.2. p.)")
    NEGATIVE = "negative", _("Negatīvs atzinums")


FAVOURABLE_OPINIONS = (OpinionStatus.POSITIVE, OpinionStatus.EXCEPTION, OpinionStatus.NO_NEGATIVE)


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Plānots")
    IN_PROGRESS = "in_progress", _("Tiek īstenots")
    DONE = "done", _("Īstenots")


# Annex 8: the minimum content of the continuity plan for a state threat (p. 112.1), by point.
ANNEX8_CONTENT = (
    ("3", _("Kritiskie pakalpojumi, personāls, nodrošinājums un rīcības algoritmi")),
    ("4", _("Kritiskās funkcijas, pakalpojumu apjoms, maksimālais pārtraukums un atjaunošanas laiks")),
    ("5", _("Kritiskais personāls: noteikšana, informēšana, aizvietošana, maiņas un saziņa")),
    ("6", _("Alternatīvā lokācija vismaz 50 km attālumā un pārcelšanās kārtība")),
    ("7", _("Tehnoloģiskās iekārtas un materiāltehniskie līdzekļi, to alternatīvas un dublēšana")),
    ("9", _("Kritisko pakalpojumu transports, autovadītāji un degviela")),
    ("10", _("Sakari, elektroenerģija, gāze, siltumapgāde, ūdens un loģistika")),
    ("11", _("Resursu un kritisko izejvielu piegāžu sistēma")),
    ("12", _("Konstatētie trūkumi iesniegti nozares ministrijai kopā ar pašvērtējumu")),
    ("13", _("Piegāžu drošība: pirmā līmeņa piegādātāji, vairāki piegādātāji, augsta riska piegādātāji")),
    ("14", _("Rīcības algoritmi krīzes laikā: saziņa, krīzes vadības komanda, komunikācija")),
    ("16", _("Darbības pārtraukšanas nosacījumi")),
    ("17", _("Nepieciešamais valsts institūciju atbalsts")),
    ("18", _("Testēšana, pašvērtēšana un mācības vismaz reizi četros gados")),
)


class Vetting(models.TextChoices):
    """SAB's check of the person responsible for the state-threat plan (p. 113)."""

    NOT_REQUESTED = "not_requested", _("Nav pieprasīta")
    PENDING = "pending", _("SAB pārbauda")
    SUITABLE = "suitable", _("Atbilst (12.1.–12.4., 12.6.–12.10. p.)")
    UNSUITABLE = "unsuitable", _("Neatbilst")
    CLEARANCE = "clearance", _("Nepārbauda: ir speciālā atļauja pieejai valsts noslēpumam")
