"""Norwegian demo texts for seed_demo, by area: realistic enough to search and triage."""

# area code -> (titles, description openings, workarounds)
TEXTS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "BTB": (
        [
            "Faktura blir liggende i arbeidsflyt uten attestant",
            "Bestilling kan ikke sendes når leverandøren mangler organisasjonsnummer",
            "Varemottak registreres ikke på delleveranser",
            "Fakturaer med flere linjer matches feil mot bestilling",
            "Fagrekvirent får ikke opp kontostreng for prosjekt",
            "Innkjøper ser ikke bestillinger fra eget institutt",
            "Purring fra leverandør fordi faktura ikke er betalt innen frist",
            "Kredittnota kobles ikke til opprinnelig faktura",
            "Budsjettdisponent (BDM) får ikke varsel om faktura til godkjenning",
            "Bestillingsstatus oppdateres ikke etter varemottak",
            "Leverandør mangler i leverandørregisteret etter overgangen",
            "Feil mva-kode foreslås på utenlandske fakturaer",
            "Rammeavtale vises ikke i katalogen for fagrekvirenter",
            "Fakturaen avvises uten begrunnelse i Unit4 ERP",
        ],
        [
            "Når fagrekvirenten prøver å fullføre bestillingen i Unit4 ERP, stopper arbeidsflyten.",
            "Flere institutter melder at fakturaer blir liggende i flere uker.",
            "Feilen oppstod etter siste oppdatering og gjelder både innkjøpere og BDM.",
            "Oppfølging av bestillinger tar mye tid, og tilliten til systemet er svekket.",
        ],
        [
            "Send faktura manuelt til Seksjon for innkjøp med referanse til bestillingen.",
            "Registrer varemottak på hele bestillingen og korriger i etterkant.",
            "Bruk hurtigbestilling og legg ved tilbudet som vedlegg.",
        ],
    ),
    "TILGANG": (
        [
            "Nyansatte får ikke brukerkonto før kontrakten er signert",
            "Gjestetilgang for tilknyttede forsvinner etter 30 dager",
            "Gammel personinformasjon overstyrer ny på nettsidene",
            "Ny stipendiat mangler tilgang til IT-systemer første arbeidsdag",
            "Rollen fagrekvirent tildeles ikke automatisk i ERP",
            "Tilknyttet forsker vises ikke i personoversikten",
            "Tilgang til bygg forsinkes fordi tilknytning ikke er registrert",
            "Feil stillingstittel vises på ansattsiden etter overgangen",
        ],
        [
            "Pålogging og tilganger for nyansatte tar for lang tid, og lønn og kontrakt blir forsinket.",
            "Personen er registrert i DFØ, men informasjonen kommer ikke fram til universitetets systemer.",
            "USIT og DFØ er varslet, men feilen gjentar seg ved hver ny ansettelse.",
        ],
        [
            "Søk om tilknytning i god tid før personen trenger tilgang.",
            "Be lokal IT om midlertidig konto mens saken behandles.",
            "Oppdater personinformasjonen manuelt i nettpubliseringen.",
        ],
    ),
    "TOA": (
        [
            "Stipend utbetales ikke til riktig tid",
            "Signering av timelønnskontrakt feiler i signeringsløsningen",
            "Timeføring for utenlandske arbeidstakere avvises",
            "Kan ikke ha flere typer vekting i samme timelønnskontrakt for undervisning",
            "Oppdragsavtale kan ikke bestilles i DFØ-appen",
            "Timelister godkjennes ikke før lønnskjøring",
            "Kontrakt for sensorer mangler i selvbetjeningsportalen",
            "Feil timesats brukes på kontrakter etter lønnsoppgjøret",
        ],
        [
            "Kontrakter bestilles i selvbetjeningsportalen, men stopper før godkjenning.",
            "Lønn kommer ikke til rett person til rett tid når dette skjer.",
            "Gjelder særlig undervisning med flere vektingstyper i samme semester.",
        ],
        [
            "Opprett én kontrakt per vektingstype inntil videre.",
            "Send timeliste på e-post til lønnsseksjonen før fristen.",
            "Signer på papir og last opp skannet kontrakt.",
        ],
    ),
    "PROSJEKT": (
        [
            "Prosjektrapporten viser feil saldo",
            "Nye prosjekter kan ikke opprettes i prosjektmodulen",
            "Timer føres ikke mot riktig prosjekt",
        ],
        ["Prosjektøkonomene bruker mye tid på å stemme av manuelt."],
        ["Hent ut hovedboksrapport og stem av i regneark."],
    ),
    "BUDSJETT": (
        [
            "Prognose kan ikke lagres for neste år",
            "Budsjettallene oppdateres ikke etter revisjon",
            "Bevilgningsrapport mangler fordeling per enhet",
        ],
        ["Budsjettarbeidet ved fakultetet blir forsinket."],
        ["Bruk forrige års mal og oppdater tallene manuelt."],
    ),
    "REGNSKAP": (
        [
            "Utgående faktura får feil KID",
            "Periodisering feiler ved månedsavslutning",
            "Regnskapsrapport viser dobbeltføringer",
        ],
        ["Regnskapsavdelingen må korrigere bilag manuelt hver måned."],
        ["Korriger med manuelt bilag og noter referansen."],
    ),
    "RAPPORT": (
        [
            "Myndighetsrapportering mangler data fra lønn",
            "Interne rapporter viser ikke nye koststeder",
            "Rapport for innkjøp tar for lang tid å kjøre",
        ],
        ["Rapporten må være klar før fristen til departementet."],
        ["Kjør rapporten om natten og del resultatet som fil."],
    ),
    "OPPLAERING": (
        [
            "Mangler opplæring for fagrekvirenter",
            "Brukerstøtte svarer ikke innen rimelig tid",
            "Veiledning for varemottak er utdatert",
        ],
        ["Fagrekvirentene må finne ut av alt selv, og erfaringsdeling mangler."],
        ["Innkjøpskoordinator holder egne møter med fagrekvirentene."],
    ),
    "NETTSIDER": (
        [
            "Veiledning for bestilling av kontrakt peker til feil side",
            "Nettsiden om bilagslønn mangler engelsk versjon",
            "Lenker til DFØs selvbetjeningsportal er døde",
        ],
        ["Ansatte finner ikke riktig framgangsmåte på nettsidene."],
        ["Bruk direktelenken fra DFØ inntil siden er rettet."],
    ),
}

COMMENTS = [
    "Samme problem hos oss på instituttet.",
    "DFØ har bekreftet feilen og ser på den.",
    "Vi har testet den midlertidige løsningen, den fungerer, men tar tid.",
    "Forvaltningsteamet tar saken opp på neste driftsmøte.",
    "Oppdatering: feilen er meldt videre til leverandøren.",
    "Dette gir mye merarbeid for fagrekvirentene våre.",
    "Kan vi få en status før fristen?",
    "Rettingen er planlagt i neste release.",
    "Verifisert i testmiljøet, ser bra ut.",
    "Gjelder også for bestillinger over terskelverdi.",
]

FIRST_NAMES = [
    "Kari",
    "Ola",
    "Ingrid",
    "Lars",
    "Sigrid",
    "Anders",
    "Marit",
    "Jonas",
    "Hilde",
    "Per",
]
LAST_NAMES = ["Nordmann", "Hansen", "Johansen", "Olsen", "Larsen", "Berg", "Haugen", "Dahl"]
