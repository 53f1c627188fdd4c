"""The reference data the tracker starts with (DOMAIN.md). Loaded by a data migration, then owned
by the administrators in the admin; plain data so the migration does not import models."""

from typing import Any

INSTITUTIONS = [
    ("UiO", "Universitetet i Oslo"),
    ("UiB", "Universitetet i Bergen"),
    ("NTNU", "Norges teknisk-naturvitenskapelige universitet"),
    ("UiT", "UiT Norges arktiske universitet"),
]

# Feide realm -> institution code: the realm of ``user@uio.no`` decides the institution.
FEIDE_REALMS = [("uio.no", "UiO"), ("uib.no", "UiB"), ("ntnu.no", "NTNU"), ("uit.no", "UiT")]

# (institution, code, name, parent code or None)
ORG_UNITS = [
    ("UiO", "MN", "Det matematisk-naturvitenskapelige fakultet", None),
    ("UiO", "MED", "Det medisinske fakultet", None),
    ("UiO", "IMB", "Institutt for medisinske basalfag", "MED"),
    ("UiO", "HF", "Det humanistiske fakultet", None),
    ("UiO", "USIT", "Universitetets senter for informasjonsteknologi", None),
    ("UiB", "MN", "Det matematisk-naturvitenskapelige fakultet", None),
    ("UiB", "MED", "Det medisinske fakultet", None),
    ("UiB", "IBM", "Institutt for biomedisin", "MED"),
    ("NTNU", "IE", "Fakultet for informasjonsteknologi og elektroteknikk", None),
    ("NTNU", "IDI", "Institutt for datateknologi og informatikk", "IE"),
    ("NTNU", "MH", "Fakultet for medisin og helsevitenskap", None),
    ("UiT", "NT", "Fakultet for naturvitenskap og teknologi", None),
    ("UiT", "HELSE", "Det helsevitenskapelige fakultet", None),
]

# (code, name nb, name en, description, [(category code, nb, en)])
AREAS = [
    (
        "BTB",
        "Behov til betaling (innkjøp og faktura)",
        "Purchase to pay (purchasing and invoices)",
        "Innkjøp og fakturaoppfølging i Unit4 ERP.",
        [
            ("bestilling", "Bestilling", "Ordering"),
            ("varemottak", "Varemottak", "Goods receipt"),
            ("fakturabehandling", "Fakturabehandling", "Invoice processing"),
            ("leverandor", "Leverandør", "Supplier"),
        ],
    ),
    (
        "TILGANG",
        "Tilganger",
        "Access",
        "Pålogging og tilganger for nyansatte, gjester og tilknyttede, personinformasjon på nett.",
        [
            ("nyansatte", "Nyansatte", "New employees"),
            ("gjester", "Gjester/tilknyttede", "Guests/affiliates"),
            ("personinfo", "Personinformasjon på nett", "Person information on the web"),
            ("erp_roller", "Roller og tilgang i ERP", "Roles and access in the ERP"),
        ],
    ),
    (
        "TOA",
        "Time- og oppdragsavtaler",
        "Hourly and assignment contracts",
        "Kontrakter bestilt i DFØs selvbetjeningsportal eller DFØ-appen.",
        [
            ("kontraktbestilling", "Kontraktbestilling", "Contract ordering"),
            ("signering", "Signering", "Signing"),
            ("timeforing", "Timeføring", "Time registration"),
            ("stipend", "Stipend", "Stipends"),
            ("utenlandske", "Utenlandske arbeidstakere", "Foreign workers"),
        ],
    ),
    (
        "PROSJEKT",
        "Prosjektmodul",
        "Project module",
        "",
        [("oppfolging", "Prosjektoppfølging", "Project follow-up")],
    ),
    (
        "BUDSJETT",
        "Budsjett og prognose (bevilgningsøkonomi)",
        "Budget and forecast",
        "",
        [("budsjett", "Budsjett", "Budget"), ("prognose", "Prognose", "Forecast")],
    ),
    (
        "REGNSKAP",
        "Regnskap og utgående faktura",
        "Accounting and outgoing invoices",
        "",
        [
            ("regnskap", "Regnskap", "Accounting"),
            ("utgaende_faktura", "Utgående faktura", "Outgoing invoices"),
        ],
    ),
    (
        "RAPPORT",
        "Rapporter",
        "Reports",
        "Interne rapporter og myndighetsrapportering.",
        [
            ("interne", "Interne rapporter", "Internal reports"),
            ("myndighet", "Myndighetsrapportering", "Statutory reporting"),
        ],
    ),
    (
        "OPPLAERING",
        "Opplæring, brukerstøtte og kompetanseheving",
        "Training and user support",
        "",
        [("opplaering", "Opplæring", "Training"), ("brukerstotte", "Brukerstøtte", "User support")],
    ),
    (
        "NETTSIDER",
        "Nettsider",
        "Web pages",
        "Nettsider og veiledninger.",
        [("veiledninger", "Veiledninger", "Guides")],
    ),
]

# (code, name nb, name en)
SYSTEMS = [
    ("unit4", "Unit4 ERP", "Unit4 ERP"),
    ("sap", "SAP lønn", "SAP payroll"),
    ("selvbetjening", "DFØ selvbetjeningsportal", "DFØ self-service portal"),
    ("dfo_app", "DFØ-appen", "The DFØ app"),
    ("signering", "Signeringsløsning", "Signing solution"),
    ("gjestereg", "Gjesteregistrering (universitetets IT)", "Guest registration (university IT)"),
    ("web", "Universitetets nettsider", "The university web"),
    ("annet", "Annet", "Other"),
]

GROUPS = ["Melder", "Forvaltning", "DFØ-kontakt"]


def load_reference_data(apps: Any) -> None:
    """Create what is missing; idempotent. ``apps`` is a migration's app registry or django.apps."""
    Institution = apps.get_model("issues", "Institution")
    OrgUnit = apps.get_model("issues", "OrgUnit")
    Area = apps.get_model("issues", "Area")
    Category = apps.get_model("issues", "Category")
    System = apps.get_model("issues", "System")
    Group = apps.get_model("auth", "Group")

    for code, name in INSTITUTIONS:
        Institution.objects.get_or_create(code=code, defaults={"name": name})
    for inst_code, code, name, parent_code in ORG_UNITS:
        inst = Institution.objects.get(code=inst_code)
        parent = OrgUnit.objects.get(institution=inst, code=parent_code) if parent_code else None
        OrgUnit.objects.get_or_create(
            institution=inst, code=code, defaults={"name": name, "parent": parent}
        )
    for order, (code, nb, en, description, categories) in enumerate(AREAS):
        area, _created = Area.objects.get_or_create(
            code=code,
            defaults={"name_nb": nb, "name_en": en, "description": description, "order": order},
        )
        for c_order, (c_code, c_nb, c_en) in enumerate(categories):
            Category.objects.get_or_create(
                area=area,
                code=c_code,
                defaults={"name_nb": c_nb, "name_en": c_en, "order": c_order},
            )
    for order, (code, nb, en) in enumerate(SYSTEMS):
        System.objects.get_or_create(
            code=code, defaults={"name_nb": nb, "name_en": en, "order": order}
        )
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


def load_feide_realms(apps: Any) -> None:
    """Create the four universities' Feide realms where missing; idempotent (like the above)."""
    Institution = apps.get_model("issues", "Institution")
    FeideRealm = apps.get_model("issues", "FeideRealm")
    for realm, code in FEIDE_REALMS:
        institution = Institution.objects.filter(code=code).first()
        if institution is not None:
            FeideRealm.objects.get_or_create(realm=realm, defaults={"institution": institution})


# Recurring deadlines (name, day of month). The day of the payroll run follows the example in
# issue 15 ("før lønnskjøringen 20. desember"); the team corrects it in the admin.
RECURRING_DEADLINES = (("Månedlig lønnskjøring", 20),)


def load_recurring_deadlines(apps: Any) -> None:
    """Create the recurring deadlines that are missing; idempotent."""
    RecurringDeadline = apps.get_model("issues", "RecurringDeadline")
    for name, day in RECURRING_DEADLINES:
        RecurringDeadline.objects.get_or_create(name=name, defaults={"day_of_month": day})
