"""A processing register entry (AVG art. 30) and a DPIA outline (art. 35), generated from what
this installation holds: how many people of which kind, which categories of personal data
(from the schema), who may see what (the roles), how long it is kept, and the processors
(the providers in the provider table). Written for the privacy officer (FG), who completes
and signs it: the facts come from the database, the judgements are marked *in te vullen*.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from werkpad.services.audit_settings import audit_settings
from werkpad.services.retention import PERIODS
from werkpad.services.second_factor import SECOND_FACTOR_ROLES
from werkpad.store.models import (
    Assessment,
    BenefitSpell,
    Candidate,
    Contact,
    Employer,
    Exemption,
    Provider,
    User,
)

# Categories of personal data, each with the columns or tables that hold it.
CATEGORIES = (
    ("Identificatie", "BSN, voor- en achternaam, geboortedatum, geslacht (`candidate`)"),
    ("Contactgegevens", "adres, postcode, woonplaats, telefoon, e-mail (`candidate`)"),
    ("Achtergrond", "migratieachtergrond, statushouder, opleidingsniveau (`candidate`)"),
    ("Uitkering", "uitkeringsdossier en -periodes, partner in het dossier (`benefit_spell`)"),
    (
        "Gezondheid en leefgebieden (bijzonder, art. 9 AVG)",
        "diagnoses met ZRM-leefgebieden (schulden, verslaving, gezondheid), ontheffingen "
        "wegens medische ongeschiktheid (`assessment`, `exemption`)",
    ),
    ("Re-integratie", "plannen, routes, voorzieningen, kosten, verwijzingen, plaatsingen, nazorg"),
    ("Vrije tekst", "contactverslagen, redenen, notities: kan alles bevatten"),
    ("Medewerkers", "gebruikersnaam, naam, rol, team; auditlog van hun handelingen"),
)
RECIPIENTS = (
    ("Klantmanager, teamleider", "dossiers van het eigen team (noodtoegang met reden)"),
    ("Accountmanager", "werkprofielen van verwezen kandidaten, geen uitkeringsdossier"),
    ("Analist", "alleen gepseudonimiseerde cijfers"),
    ("Beheerder", "gebruikers, instellingen, auditlog; geen dossiers"),
    ("CBS", "maandelijkse SRG-levering met BSN (wettelijke plicht)"),
)


def _count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def register_markdown(session: Session, *, today: date, controller: str = "") -> str:
    """The register entry and DPIA outline as one Markdown document."""
    users = dict(
        session.execute(
            select(User.role, func.count()).where(User.active.is_(True)).group_by(User.role)
        ).all()
    )
    providers = session.execute(select(Provider.name, Provider.kind).order_by(Provider.name)).all()
    audit_days = audit_settings(session).retention_days
    who = controller or "*in te vullen: college van B&W van de gemeente*"
    lines = [
        f"# Verwerkingsregister en DPIA-opzet: re-integratie (werkpad), {today.isoformat()}",
        "",
        "Gegenereerd uit deze installatie; de functionaris gegevensbescherming vult aan en "
        "stelt vast.",
        "",
        "## Verwerkingsregister (art. 30 AVG)",
        "",
        f"- **Verwerkingsverantwoordelijke:** {who}",
        "- **Doel:** ondersteuning bij arbeidsinschakeling (Participatiewet art. 7, 10), "
        "casemanagement, werkgeversdienstverlening, beleidsinformatie.",
        "- **Grondslag:** art. 6 lid 1 sub c en e AVG (wettelijke taak Participatiewet); "
        "bijzondere gegevens: art. 9 lid 2 sub b/g AVG met de Participatiewet; BSN: "
        "Participatiewet art. 64 en Wet algemene bepalingen BSN. *Te controleren.*",
        "",
        "### Betrokkenen",
        "",
        "| categorie | aantal |",
        "|---|---:|",
        "| kandidaten (inwoners in re-integratie of met uitkering) | "
        f"{_count(session, Candidate)} |",
        f"| met uitkeringsperiodes | {_count(session, BenefitSpell)} periodes |",
        f"| diagnoses / ontheffingen | {_count(session, Assessment)} / "
        f"{_count(session, Exemption)} |",
        f"| contacten (verslagen) | {_count(session, Contact)} |",
        f"| werkgevers (contactpersonen) | {_count(session, Employer)} |",
        f"| medewerkers (actieve accounts) | {sum(int(n) for n in users.values())} |",
        "",
        "### Categorieën persoonsgegevens",
        "",
        *[f"- **{name}:** {where}" for name, where in CATEGORIES],
        "",
        "### Ontvangers (wie ziet wat)",
        "",
        *[f"- **{who_}:** {what}" for who_, what in RECIPIENTS],
        "",
        "Actieve accounts per rol: "
        + ", ".join(f"{role.lower()} {n}" for role, n in sorted(users.items())),
        "",
        "### Verwerkers en aanbieders",
        "",
        *([f"- {name} ({kind})" for name, kind in providers] or ["- geen aanbieders vastgelegd"]),
        "- *In te vullen:* hosting, beheer, back-upopslag (verwerkersovereenkomsten).",
        "",
        "### Bewaartermijnen",
        "",
        f"- kandidaatdossier: {PERIODS['kandidaat'] // 365} jaar na beëindiging, dan "
        "gepseudonimiseerd (`werkpad retention`; VNG Selectielijst 2020)",
        f"- inlogstappen en herstellinks: {PERIODS['inlogstap']} dagen; "
        f"sessies: {PERIODS['sessie']} dagen",
        f"- auditlog: {audit_days} dagen (`werkpad audit prune`)",
        "",
        "### Beveiliging (art. 32 AVG, BIO)",
        "",
        f"- tweestapsverificatie verplicht voor: {', '.join(sorted(SECOND_FACTOR_ROLES)).lower()}",
        "- wachtwoordbeleid met lijst van bekende wachtwoorden, throttling per naam en adres",
        "- rollen per team, noodtoegang met reden, vier ogen voor de beheerdersrol",
        "- auditlog van elke inzage, verzegeld met een HMAC-keten",
        "- versleutelde en ondertekende back-ups; zie docs/security.md",
        "",
        "## DPIA-opzet (art. 35 AVG)",
        "",
        "1. **Beschrijving:** de verwerkingen hierboven; bijzondere gegevens en BSN op grote "
        "schaal over kwetsbare inwoners: een DPIA is verplicht (AP-lijst, criteria 'kwetsbare "
        "betrokkenen' en 'bijzondere gegevens').",
        "2. **Noodzaak en evenredigheid:** *in te vullen* (waarom elk gegeven nodig is; "
        "dataminimalisatie; analisten zien alleen pseudoniemen).",
        "3. **Risico's:** onbevoegde inzage door medewerkers; uitlekken van export of back-up; "
        "vrije tekst met gegevens over derden; herleidbaarheid van gepseudonimiseerde dossiers "
        "(geboortedatum, geslacht, PC4); te lang bewaren.",
        "4. **Maatregelen:** zie Beveiliging en Bewaartermijnen; restrisico's *in te vullen*.",
        "5. **Rechten van betrokkenen:** inzage (`werkpad privacy inzage`), correctie "
        "(correctielog), bezwaar en beperking *in te vullen*.",
        "",
    ]
    return "\n".join(lines)
