"""The demo company "Muster AG": German content in the voice of our users."""

import datetime

from vitrine.figures.demo import EMPLOYEES
from vitrine.portal.demo.catalog import CATALOG_ENTRIES, CATALOG_WITH_LEAD_TIME
from vitrine.surveys.demo import LATEST_WAVE_ANSWERS

# The people of the licence management team: every text that counts them counts this list.
TEAM = [
    ("Sabine Krüger", "Leitung, Lizenzstrategie und Audits"),
    ("Marco Weber", "Software Asset Management: Cloud-Dienste und Microsoft 365"),
    ("Jana Hoffmann", "Software Asset Management: Softwarekatalog und Desktop-Software"),
    ("Katrin Özdemir", "Verträge, Verlängerungen und Herstellerkontakte"),
]
NUMBER_WORDS = {2: "zwei", 3: "drei", 4: "vier", 5: "fünf", 6: "sechs", 7: "sieben", 8: "acht"}
TEAM_SIZE = NUMBER_WORDS[len(TEAM)]


def german_number(value: int) -> str:
    """4800 as "4.800", the way a German text writes it."""
    return f"{value:,}".replace(",", ".")


def _team_list() -> str:
    people = "".join(f"<li><b>{name}</b> – {role}</li>" for name, role in TEAM)
    return f"<ul>{people}</ul>"


COMPANY = {
    "company_name": "Muster AG",
    "portal_name": "Lizenzmanagement & IT-Services",
    "primary_colour": "#1f4e79",
    "accent_colour": "#8a3b12",
    "imprint_url": "https://intranet.muster-ag.example/impressum",
    "privacy_url": "https://intranet.muster-ag.example/datenschutz",
    "team_lead_email": "leitung.it-services@muster-ag.example",
}

HOME = {
    "title": "Startseite",
    "heading": "Lizenzmanagement der Muster AG – wir sorgen dafür, dass Ihre Software einfach da ist",
    "intro": (
        "<p>Hier finden Sie, wie Sie schnell zu Ihrer Software kommen, was erlaubt ist und warum es "
        "Regeln gibt. Wir berichten, was wir für die Muster AG erreichen – und wo wir noch "
        "arbeiten. Fragen und Anregungen außerhalb der Service-Prozesse sind ausdrücklich "
        "willkommen.</p>"
    ),
}

CONTACTS = [
    {
        "name": "Sabine Krüger",
        "role": "Leiterin Lizenzmanagement",
        "topic": "Lizenzstrategie, Audits, Verträge mit Herstellern",
        "email": "sabine.krueger@muster-ag.example",
        "phone": "+49 30 1234-410",
        "is_mailbox": False,
        "sort_order": 10,
    },
    {
        "name": "Team Lizenzmanagement",
        "role": "Funktionspostfach",
        "topic": "Fragen zu Lizenzen, Nutzungsrechten und Softwareanfragen",
        "email": "lizenzmanagement@muster-ag.example",
        "phone": "",
        "is_mailbox": True,
        "sort_order": 20,
    },
    {
        "name": "Marco Weber",
        "role": "Software Asset Manager",
        "topic": "Cloud- und SaaS-Konten, Microsoft 365, Rückgabe von Lizenzen",
        "email": "marco.weber@muster-ag.example",
        "phone": "+49 30 1234-412",
        "is_mailbox": False,
        "sort_order": 30,
    },
    {
        "name": "IT-Einkauf",
        "role": "Funktionspostfach",
        "topic": "Bestellungen, Angebote, Verlängerungen und Budgetfragen",
        "email": "it-einkauf@muster-ag.example",
        "phone": "+49 30 1234-300",
        "is_mailbox": True,
        "sort_order": 40,
    },
    {
        "name": "Service Desk",
        "role": "Erste Anlaufstelle",
        "topic": "Störungen, Installation, Zugang zum Self-Service-Portal",
        "email": "servicedesk@muster-ag.example",
        "phone": "+49 30 1234-1000",
        "is_mailbox": True,
        "sort_order": 50,
    },
]

# (slug, title, kind, summary, body, review offset in days from today, audiences, benefit)
INFO_BLOCKS = [
    {
        "slug": "aufgaben-und-ziele",
        "title": "Aufgaben und Ziele",
        "kind": "tasks_goals",
        "summary": (
            "Wir sorgen dafür, dass die Muster AG jede Software rechtssicher, wirtschaftlich und "
            "ohne unnötige Wartezeit nutzen kann."
        ),
        "benefit": "Sie wissen, wofür wir da sind – und was Sie von uns erwarten dürfen.",
        "review_in_days": -12,
        "body": (
            "<h2>Wofür es uns gibt</h2>"
            "<p>Das Lizenzmanagement der Muster AG ist Teil der IT-Services. Wir kümmern uns darum, "
            "dass für jede eingesetzte Software die passenden Nutzungsrechte vorhanden sind – nicht "
            "mehr, als wir brauchen, und nicht weniger, als wir nutzen.</p>"
            "<h2>Unsere Ziele für dieses Jahr</h2>"
            "<ul><li><b>Schneller bereitstellen:</b> Standardsoftware aus dem Katalog innerhalb von "
            "zwei Arbeitstagen, genehmigungspflichtige Software innerhalb von zehn.</li>"
            "<li><b>Kosten im Griff:</b> ungenutzte Lizenzen zurückholen und neu vergeben, bevor "
            "wir nachkaufen.</li>"
            "<li><b>Cloud transparent machen:</b> kein „all you can eat buffet“ bei der "
            "User-Administration von Cloud-Lösungen – jedes Konto hat einen Zweck und eine "
            "verantwortliche Stelle.</li>"
            "<li><b>Audit-fest bleiben:</b> eine aktuelle Lizenzbilanz für alle großen Hersteller, "
            "jederzeit vorzeigbar.</li></ul>"
            "<h2>Was wir nicht sind</h2>"
            "<p>Wir sind keine Genehmigungsbremse. Regeln gibt es, weil Verstöße die Muster AG "
            "teuer zu stehen kommen können. Wo eine Regel mehr stört als schützt, sagen Sie es uns: "
            "Wir prüfen sie.</p>"
        ),
    },
    {
        "slug": "organisation-und-prozesse",
        "title": "Organisation und Prozesse",
        "kind": "organisation_processes",
        "summary": (
            "Wer im Lizenzmanagement was tut und wie Anfrage, Genehmigung, Beschaffung und "
            "Bereitstellung zusammenspielen."
        ),
        "benefit": "Sie sehen, wer an Ihrer Anfrage arbeitet und wo sie gerade steht.",
        "review_in_days": 9,
        "body": (
            "<h2>Das Team</h2>"
            f"<p>Zum Lizenzmanagement gehören {TEAM_SIZE} Menschen:</p>"
            + _team_list()
            + "<p>Wir arbeiten eng mit dem Service Desk, dem IT-Einkauf, dem Asset-Management "
            "und dem Change-Management zusammen.</p>"
            "<h2>Der Weg einer Softwareanfrage</h2>"
            "<ol><li><b>Anfrage</b> im Self-Service-Portal – am besten direkt aus dem "
            "Softwarekatalog.</li>"
            "<li><b>Genehmigung</b> durch die Kostenstellenverantwortlichen; bei Software mit "
            "Personenbezug zusätzlich durch den Datenschutz.</li>"
            "<li><b>Beschaffung</b> durch den IT-Einkauf – oder gar keine, wenn wir eine freie "
            "Lizenz im Bestand haben.</li>"
            "<li><b>Bereitstellung</b> durch die Softwareverteilung oder das Konto im "
            "Cloud-Dienst.</li></ol>"
            "<h2>Schnittstellen zu den ITSM-Rollen</h2>"
            "<p>Der Service Desk nimmt Anfragen an und hilft bei der Installation. Der IT-Einkauf "
            "bestellt nur, was genehmigt ist und nicht aus dem Bestand kommen kann. Das "
            "Change-Management bindet uns ein, sobald eine Änderung Lizenzen berührt – etwa neue "
            "Server, mehr Kerne oder der Umzug in die Cloud.</p>"
        ),
    },
    {
        "slug": "verfahren-und-regelwerke",
        "title": "Verfahren und Regelwerke",
        "kind": "procedures_rules",
        "summary": (
            "Die Softwarerichtlinie, der Umgang mit Testversionen, privaten Lizenzen und "
            "Cloud-Diensten – kurz und verständlich erklärt."
        ),
        "benefit": "Sie wissen, was erlaubt ist, und ersparen sich Rückfragen und Risiken.",
        "review_in_days": 60,
        "body": (
            "<h2>Die wichtigsten Regeln in Kürze</h2>"
            "<ul><li>Installiert wird nur Software aus dem Softwarekatalog oder nach "
            "Genehmigung.</li>"
            "<li>Private Lizenzen dürfen auf Geräten der Muster AG nicht genutzt werden – auch "
            "nicht „nur kurz“.</li>"
            "<li>Testversionen laufen höchstens 30 Tage und werden vorher beim Lizenzmanagement "
            "gemeldet.</li>"
            "<li>Cloud-Dienste mit Firmendaten brauchen eine Freigabe durch IT-Sicherheit und "
            "Datenschutz, auch wenn sie kostenlos sind.</li>"
            "<li>Wer eine Software nicht mehr braucht, gibt sie im Self-Service-Portal zurück. "
            "Die Lizenz geht an die nächste Kollegin, statt neu gekauft zu werden.</li></ul>"
            "<h2>Warum es diese Regeln gibt</h2>"
            "<p>Eine einzige unlizenzierte Installation kann bei einem Hersteller-Audit "
            "Nachzahlungen im fünfstelligen Bereich auslösen. Die Regeln schützen die Muster AG – "
            "und Sie vor unangenehmen Gesprächen.</p>"
            "<p>Die vollständige Softwarerichtlinie (Version 3.2, vom Betriebsrat mitgezeichnet) "
            "erhalten Sie beim Team Lizenzmanagement.</p>"
        ),
    },
    {
        "slug": "ansprechpartner",
        "title": "Ansprechpartner",
        "kind": "contacts",
        "summary": (
            "Wen Sie bei Fragen und Anregungen außerhalb der Service-Prozesse direkt ansprechen "
            "können."
        ),
        "benefit": "Sie erreichen ohne Umweg die richtige Person.",
        "review_in_days": 120,
        "body": (
            "<p>Für Störungen und Installationen ist der Service Desk Ihre erste Anlaufstelle. "
            "Für alles rund um Lizenzen, Verträge, Kosten und Cloud-Konten sprechen Sie uns "
            "direkt an – wir antworten innerhalb von zwei Arbeitstagen.</p>"
        ),
    },
]

LIFECYCLE = {
    "title": "Von der Anfrage bis zur Rückgabe",
    "slug": "software-lebenszyklus",
    "intro": (
        "<p>Sie brauchen eine neue Software? Hier sehen Sie, was zwischen Ihrer Anfrage und dem "
        "ersten Start passiert, wer an welcher Stelle handelt – und was Sie selbst tun können, "
        "damit es schneller geht.</p>"
    ),
    "stages": [
        {
            "stage": "request",
            "title": "Bedarf und Anfrage",
            "what_happens": (
                "Sie beschreiben im Self-Service-Portal, welche Software Sie wofür brauchen. Steht "
                "die Software im Softwarekatalog, ist die Anfrage mit zwei Klicks erledigt."
            ),
            "who_acts": "Sie selbst, bei Fragen der Service Desk",
            "speed_up": (
                "Wählen Sie die Software aus dem Katalog statt einer freien Anfrage und geben Sie "
                "Ihre Kostenstelle gleich mit an. Prüfen Sie, ob eine Alternative aus dem Katalog "
                "genügt – die ist oft sofort verfügbar."
            ),
        },
        {
            "stage": "approval",
            "title": "Genehmigung",
            "what_happens": (
                "Ihre Führungskraft bzw. die Kostenstellenverantwortlichen genehmigen die Kosten. "
                "Bei Software mit Personenbezug prüft zusätzlich der Datenschutz."
            ),
            "who_acts": "Kostenstellenverantwortliche, ggf. Datenschutz und IT-Sicherheit",
            "speed_up": (
                "Sprechen Sie Ihre Führungskraft vorher kurz an. Eine gut begründete Anfrage "
                "(wofür, wie oft, welche Alternative geprüft) wird meist am selben Tag genehmigt."
            ),
        },
        {
            "stage": "procurement",
            "title": "Beschaffung",
            "what_happens": (
                "Das Lizenzmanagement prüft zuerst, ob eine freie Lizenz im Bestand ist. Nur wenn "
                "nicht, bestellt der IT-Einkauf beim Rahmenvertragspartner."
            ),
            "who_acts": "Lizenzmanagement und IT-Einkauf",
            "speed_up": (
                "Geben Sie zurück, was Sie nicht mehr nutzen: Jede zurückgegebene Lizenz verkürzt "
                "die Wartezeit der nächsten Kollegin – und die eigene beim nächsten Mal."
            ),
        },
        {
            "stage": "provisioning",
            "title": "Bereitstellung",
            "what_happens": (
                "Die Softwareverteilung installiert die Software auf Ihrem Gerät oder Sie erhalten "
                "Zugang zum Cloud-Dienst. Sie bekommen eine Nachricht, sobald alles bereit ist."
            ),
            "who_acts": "Softwareverteilung, Service Desk",
            "speed_up": (
                "Lassen Sie Ihr Gerät eingeschaltet und mit dem Firmennetz (oder VPN) verbunden, "
                "damit die Verteilung Sie erreicht."
            ),
        },
        {
            "stage": "use",
            "title": "Nutzung",
            "what_happens": (
                "Sie arbeiten mit der Software. Wir beobachten nicht, wer was tut – wir zählen "
                "lediglich, wie viele Lizenzen insgesamt genutzt werden, damit wir rechtzeitig "
                "verlängern oder einsparen können."
            ),
            "who_acts": "Sie; das Lizenzmanagement betrachtet nur Summen",
            "speed_up": (
                "Melden Sie uns, wenn Sie mehr Funktionen brauchen (z. B. eine höhere Edition) – "
                "oft ist ein Wechsel ohne Neukauf möglich."
            ),
        },
        {
            "stage": "retirement",
            "title": "Rückgabe und Ernte",
            "what_happens": (
                "Nicht mehr benötigte Software wird deinstalliert, die Lizenz geht zurück in den "
                "Bestand („Ernte“) und steht sofort der nächsten Anfrage zur Verfügung. Cloud-Konten "
                "ohne Nutzung geben wir nach Rücksprache frei."
            ),
            "who_acts": "Sie, Service Desk und Lizenzmanagement",
            "speed_up": (
                "Geben Sie Software bei Rollenwechsel oder Projektende im Self-Service-Portal "
                "zurück. Das dauert eine Minute und spart der Muster AG bares Geld."
            ),
        },
    ],
}

_today = datetime.date.today()


def _days_ago(days: int) -> datetime.date:
    return _today - datetime.timedelta(days=days)


NEWS_INDEX = {
    "title": "Neuigkeiten",
    "slug": "neuigkeiten",
    "intro": "<p>Was sich im Lizenzmanagement tut – Erfolge, Änderungen und offene Baustellen.</p>",
}

HARVEST_NEWS_SLUG = "microsoft-365-ernte-spart-geld"  # cites the figures as of its day
KEY_USER_NEWS_DAYS_AGO = 2  # the news that announces the next key-user open hour
RENEWAL_NEWS_DAYS_AGO = 9  # the call for next quarter's renewal needs
RENEWAL_REPLY_DAYS = 21  # the budget holders' time to answer it
FIGURES_NEWS_DAYS_AGO = 40  # the quarterly report on the quarter before

NEWS = [
    {
        "slug": "microsoft-365-ernte-spart-geld",
        # {freed}, {latest} and {latest_date} come from the imported demo figures (load_demo).
        "title": "Microsoft 365: {freed} ungenutzte Lizenzen zurückgeholt",
        "days_ago": 3,
        "audiences": ["management", "budgetverantwortliche"],
        "benefit": "Das Budget für neue Lizenzen sinkt, ohne dass jemand auf etwas verzichtet.",
        "teaser": (
            "Seit einigen Monaten prüfen wir, welche Microsoft-365-Konten 90 Tage nicht genutzt "
            "wurden. Das Ergebnis der ersten Runde: {freed} Lizenzen weniger bei der nächsten "
            "Verlängerung."
        ),
        "body": (
            "<p>Cloud-Lizenzen sind bequem – und genau deshalb tückisch. Konten bleiben nach "
            "Projektende oder Abteilungswechsel bestehen und kosten jeden Monat Geld. Eine "
            "Lizenzmanagerin hat es einmal so beschrieben: „Vor Audits fürchten wir uns nicht "
            "mehr, allerdings vor dem schwer kontrollierbaren ‚all you can eat buffet‘ bei der "
            "User-Administration von Cloud-Lösungen.“</p>"
            "<h2>Was wir getan haben</h2>"
            "<p>Jeden Monat werten wir den Aktivitätsbericht aus – nur als Summen je Produkt, "
            "nicht je Person. Konten ohne Aktivität seit 90 Tagen melden wir den Teamleitungen, "
            "die entscheiden, ob das Konto noch gebraucht wird.</p>"
            "<h2>Woran wir noch arbeiten</h2>"
            "<p>Ungenutzte Konten entstehen laufend: Der Aktivitätsbericht vom {latest_date} "
            "zeigt wieder {latest} Lizenzen ohne Nutzung. Deshalb prüfen wir ab jetzt jeden "
            "Monat.</p>"
            "<p>Bei Konten externer Dienstleister fehlt oft eine verantwortliche Stelle. Hier "
            "erarbeiten wir mit dem IT-Einkauf eine Regel, damit auch diese Konten ein "
            "Ablaufdatum bekommen.</p>"
        ),
    },
    {
        "slug": "software-schneller-bekommen",
        "title": "So bekommen Sie Ihre Software schneller",
        "days_ago": 6,
        "audiences": [],
        "benefit": "Sie sparen Tage Wartezeit bei Ihrer nächsten Softwareanfrage.",
        "teaser": (
            "Drei einfache Handgriffe verkürzen die Zeit von der Anfrage bis zur Installation "
            "deutlich. Der wichtigste: Wählen Sie aus dem Softwarekatalog."
        ),
        "body": (
            "<p>Viele Anfragen dauern nicht wegen der Genehmigung lange, sondern weil Angaben "
            "fehlen. Mit diesen drei Handgriffen geht es schneller:</p>"
            "<ol><li><b>Aus dem Katalog wählen.</b> Für Katalogsoftware ist alles vorbereitet – "
            "Lizenz, Paket, Genehmigungsweg.</li>"
            "<li><b>Kostenstelle angeben.</b> Ohne sie bleibt die Anfrage beim Service Desk "
            "liegen.</li>"
            "<li><b>Führungskraft vorwarnen.</b> Ein kurzer Hinweis, und die Genehmigung kommt "
            "meist am selben Tag.</li></ol>"
            "<p>Wie die einzelnen Schritte zusammenhängen, zeigt unsere Seite „Von der Anfrage bis "
            "zur Rückgabe“.</p>"
        ),
    },
    {
        "slug": "neue-regeln-fuer-testversionen",
        "title": "Testversionen: 30 Tage, dann Entscheidung",
        "days_ago": 12,
        "audiences": ["mitarbeitende", "budgetverantwortliche"],
        "benefit": "Sie dürfen Neues ausprobieren – ohne ungewollte Kosten für Ihre Abteilung.",
        "teaser": (
            "Testversionen sind erlaubt und erwünscht. Damit aus einem Test keine teure "
            "Dauerlösung wird, gilt ab sofort: Meldung vorab, Entscheidung nach 30 Tagen."
        ),
        "body": (
            "<p>Neue Werkzeuge auszuprobieren ist gut. Problematisch wird es, wenn aus einer "
            "Testversion stillschweigend eine produktive Nutzung wird – dann kann der Hersteller "
            "rückwirkend Lizenzgebühren verlangen.</p>"
            "<p>Deshalb melden Sie Testversionen kurz beim Lizenzmanagement. Nach 30 Tagen "
            "entscheiden Sie gemeinsam mit uns: kaufen, verlängern oder deinstallieren. Wir "
            "erinnern Sie rechtzeitig.</p>"
        ),
    },
    {
        "slug": "audit-oracle-bestanden",
        "title": "Oracle-Audit ohne Nachzahlung abgeschlossen",
        "days_ago": 20,
        "audiences": ["management"],
        "benefit": "Kein Risiko im Budget: Die Muster AG musste keinen Euro nachzahlen.",
        "teaser": (
            "Das Lizenzaudit von Oracle ist abgeschlossen – ohne Nachforderung. Möglich war das, "
            "weil unsere Lizenzbilanz für alle Datenbankserver aktuell war."
        ),
        "body": (
            "<p>Sieben Monate lang hat Oracle die Nutzung seiner Datenbanken bei der Muster AG "
            "geprüft. Das Ergebnis: keine Unterlizenzierung, keine Nachzahlung.</p>"
            "<h2>Was das bedeutet</h2>"
            "<p>Vergleichbare Audits führen in Unternehmen unserer Größe nicht selten zu "
            "Nachforderungen im sechsstelligen Bereich. Dass es bei uns anders lief, liegt an der "
            "gepflegten Lizenzbilanz und an der frühen Einbindung des Lizenzmanagements in "
            "Changes an der Serverlandschaft.</p>"
            "<h2>Woran wir noch arbeiten</h2>"
            "<p>Die Dokumentation der Virtualisierungscluster war aufwendig. Wir automatisieren "
            "sie bis zum Sommer, damit das nächste Audit weniger Arbeitszeit bindet.</p>"
        ),
    },
    {
        "slug": "verlaengerungen-im-ersten-quartal",
        # {renewal_quarter}, {reply_by}: see load_demo's story_numbers.
        "title": "Verlängerungen im {renewal_quarter}: jetzt Bedarf melden",
        "days_ago": RENEWAL_NEWS_DAYS_AGO,
        "audiences": ["budgetverantwortliche"],
        "benefit": "Sie planen Ihr Budget mit echten Zahlen statt mit Schätzungen.",
        "teaser": (
            "Im {renewal_quarter} laufen die Verträge für Atlassian und die CAD-Software aus. "
            "Melden Sie bis zum {reply_by}, wie viele Lizenzen Ihr Bereich weiter braucht."
        ),
        "body": (
            "<p>Wir verlängern nur, was gebraucht wird. Dafür brauchen wir Ihre Einschätzung: "
            "Wie viele Lizenzen benötigt Ihr Bereich im nächsten Jahr, und gibt es Projekte, die "
            "enden oder neu starten?</p>"
            "<p>Als Grundlage schicken wir Ihnen die aktuelle Nutzung Ihres Bereichs – als Summe, "
            "nicht je Person. Die Rückmeldung bis zum {reply_by} genügt.</p>"
        ),
    },
    {
        "slug": "genehmigung-und-beschaffung-neu-geregelt",
        "title": "Genehmigung und Beschaffung: Übergabe ohne Medienbruch",
        "days_ago": 15,
        "audiences": ["itsm-rollen"],
        "benefit": "Weniger Rückfragen zwischen Service Desk, Einkauf und Lizenzmanagement.",
        "teaser": (
            "Genehmigte Anfragen landen jetzt direkt beim Lizenzmanagement zur Bestandsprüfung "
            "und erst danach beim IT-Einkauf. Das spart im Schnitt zwei Tage."
        ),
        "body": (
            "<p>Bisher gingen genehmigte Anfragen per E-Mail an den IT-Einkauf, der dann beim "
            "Lizenzmanagement nach freien Lizenzen fragte. Jetzt prüfen wir den Bestand "
            "automatisch im Ticket, bevor der Einkauf tätig wird.</p>"
            "<h2>Was sich für Sie ändert</h2>"
            "<ul><li>Service Desk: Anfragen mit Katalogeintrag werden ohne Umweg "
            "weitergeleitet.</li><li>IT-Einkauf: Sie erhalten nur noch Bestellungen, die nicht "
            "aus dem Bestand bedient werden können.</li><li>Change-Management: Changes mit "
            "Lizenzbezug tragen jetzt ein eigenes Kennzeichen.</li></ul>"
        ),
    },
    {
        "slug": "umfrage-ergebnisse-zufriedenheit",
        "title": "Sie haben gesagt, wir haben gehandelt: die Umfrage zum Lizenzmanagement",
        "days_ago": 18,
        "audiences": [],
        "benefit": "Ihre Rückmeldung hat konkret etwas verändert.",
        "teaser": (
            f"{LATEST_WAVE_ANSWERS} Kolleginnen und Kollegen haben an unserer Umfrage "
            "teilgenommen. Am wenigsten zufrieden waren Sie mit der Wartezeit bis zur "
            "Bereitstellung. Was wir seitdem geändert haben."
        ),
        "body": (
            "<p>Danke für Ihre Offenheit! Die meisten von Ihnen sind mit der Beratung zufrieden, "
            "aber die Wartezeit bis zur Bereitstellung empfinden viele als zu lang.</p>"
            "<h2>Was wir seitdem getan haben</h2>"
            "<ul><li>Den Softwarekatalog um Lieferzeiten ergänzt: Alle "
            f"{CATALOG_WITH_LEAD_TIME} Programme, die Sie bekommen können, zeigen jetzt, wie "
            "lange es dauert – und welche Alternative es gibt.</li>"
            "<li>Die Bestandsprüfung automatisiert (siehe Meldung für die "
            "ITSM-Rollen).</li></ul>"
            "<h2>Woran wir noch arbeiten</h2>"
            "<p>Die Genehmigung bei Software mit Personenbezug dauert weiterhin zu lange. "
            "Gemeinsam mit dem Datenschutz erarbeiten wir vorab geprüfte Standardfälle.</p>"
        ),
    },
    {
        "slug": "lizenzmanagement-in-zahlen",
        # {past_quarter}, {past_quarter_in}, {cad_utilisation}, {cad_report_date}: load_demo.
        "title": "Lizenzmanagement in Zahlen: das {past_quarter}",
        "days_ago": FIGURES_NEWS_DAYS_AGO,
        "audiences": ["management", "budgetverantwortliche"],
        "benefit": "Sie sehen auf einen Blick, was das Lizenzmanagement der Muster AG bringt.",
        "teaser": (
            "Eingesparte Kosten, Auslastung der großen Verträge und offene Punkte – unser "
            "Themenauszug für das {past_quarter}, ohne KPI-Friedhof."
        ),
        "body": (
            "<p>Statt eines SLA-Berichts erzählen wir hier die drei Themen, die im "
            "{past_quarter_in} zählten: die Ernte ungenutzter Cloud-Konten, die Auslastung der "
            "Adobe-Lizenzen und die Vorbereitung der Verlängerungen.</p>"
            "<p>Dort, wo es gut läuft, sagen wir es – und dort, wo wir noch arbeiten müssen, "
            "auch. Die AutoCAD-Lizenzen etwa waren laut Bericht vom {cad_report_date} nur zu "
            "{cad_utilisation} Prozent ausgelastet; hier prüfen wir mit den Fachbereichen "
            "Netzwerklizenzen.</p>"
        ),
    },
    {
        "slug": "key-user-sprechstunde",
        # {next_session}, {first_session}, {first_attendance}: see load_demo's story_numbers.
        "title": "Key-User-Sprechstunde: der nächste Termin ist am {next_session}",
        "days_ago": KEY_USER_NEWS_DAYS_AGO,
        "audiences": ["mitarbeitende"],
        "benefit": "Ihre Fragen zu Lizenzen klären Sie in 15 Minuten statt per Ticket-Pingpong.",
        "teaser": (
            "Jeden ersten Donnerstag im Monat beantwortet das Lizenzmanagement Fragen von "
            "Key-Usern und Teamleitungen – ohne Anmeldung, vor Ort und online."
        ),
        "body": (
            "<p>Key-User und Teamleitungen sind oft die ersten, die gefragt werden: „Darf ich das "
            "installieren?“ Damit Sie gut antworten können, bieten wir eine offene Sprechstunde "
            "an.</p><p>Jeden ersten Donnerstag im Monat, 13:00 bis 14:00 Uhr, Raum B2.14 und im "
            "Online-Besprechungsraum des Lizenzmanagements.</p>"
            "<p>Zur ersten Sprechstunde am {first_session} kamen {first_attendance} Key-User und "
            "Teamleitungen. Der nächste Termin: {next_session_long}, 13:00 Uhr.</p>"
        ),
    },
    {
        "slug": "softwarekatalog-online",
        "title": (
            f"Der Softwarekatalog zeigt jetzt Lieferzeiten: {CATALOG_ENTRIES} Programme auf "
            "einen Blick"
        ),
        "days_ago": 19,
        "audiences": [],
        "benefit": "Sie sehen vor der Anfrage, was Sie sofort bekommen und was es kostet.",
        "teaser": (
            "Welche Software ist sofort verfügbar, welche braucht eine Genehmigung, und was "
            "nutzen Sie besser stattdessen? Der Softwarekatalog beantwortet es jetzt auf einen "
            "Blick."
        ),
        "body": (
            "<p>Die häufigste Frage an das Lizenzmanagement lautet: „Darf ich das haben – und wie "
            "lange dauert das?“ Die Antwort steht jetzt im Softwarekatalog: für jedes der "
            f"{CATALOG_WITH_LEAD_TIME} Programme, die Sie bekommen können, mit Bezugsweg, "
            "typischer Durchlaufzeit und Kostenklasse. Was nicht erlaubt ist, steht auch dort – "
            "mit dem Grund und einer Alternative.</p>"
            "<p>Alles mit „Self-Service“ installieren Sie selbst, noch am selben Tag. Für "
            "genehmigungspflichtige "
            "Software sehen Sie, ob es eine kostenlose Alternative gibt, die Ihnen das Warten "
            "erspart.</p>"
            "<h2>Woran wir noch arbeiten</h2>"
            "<p>Fachanwendungen einzelner Abteilungen fehlen noch. Schreiben Sie uns, welche "
            "Software Sie im Katalog vermissen.</p>"
        ),
    },
    {
        "slug": "wer-wir-sind",
        "title": (
            f"{TEAM_SIZE.capitalize()} Menschen, {german_number(EMPLOYEES)} Arbeitsplätze: "
            "das Lizenzmanagement stellt sich vor"
        ),
        "days_ago": 25,
        "audiences": [],
        "benefit": "Sie wissen, wen Sie fragen können – und wofür sich das lohnt.",
        "teaser": (
            "Wir arbeiten meist im Stillen. Dabei sorgen wir dafür, dass Ihre Software da ist, "
            "rechtssicher genutzt wird und die Muster AG nicht mehr bezahlt als nötig."
        ),
        "body": (
            f"<p>Hinter dem Lizenzmanagement stehen {TEAM_SIZE} Kolleginnen und Kollegen, die "
            "jeden Tag "
            "Anfragen prüfen, Lizenzen zurückholen, Verträge verhandeln und Audits vorbereiten.</p>"
            "<p>Unser Grundsatz: Wir berichten, was gut läuft – und auch, wo wir noch arbeiten. "
            "Auf diesem Portal finden Sie beides.</p>"
        ),
    },
]

# {switch_day}: the day of the switch (dating.adobe_switch_day), the same as the board item's
# target date. The flash shows from a day before loading until a week after the switch.
NEWS_FLASH = {
    "title": "Adobe Acrobat wird umgestellt",
    "text": (
        "Am {switch_day} stellen wir Adobe Acrobat auf die neue Lizenzierung um. Bitte melden "
        "Sie sich danach einmal neu an – Ihre Dokumente bleiben unverändert."
    ),
    "link_text": "Was Sie tun müssen",
    "urgency": "important",
    "days_before": 1,
    "days_after_switch": 7,
}
FORMER_NEWS_FLASH_TITLES = ["Adobe-Umstellung am 1. Dezember"]  # as earlier demos named it

# A page waiting in the approval workflow "Freigabe" in the demo.
PENDING_NEWS = {
    "slug": "cloud-konten-ohne-nutzung",
    # {from_month}: the month after the coming one (see load_demo).
    "title": "Cloud-Konten ohne Nutzung: was wir ab {from_month} ändern",
    "audiences": ["mitarbeitende", "itsm-rollen"],
    "benefit": "Ihr Konto bleibt, solange Sie es nutzen – und Sie werden vorher gefragt.",
    "teaser": (
        "Ab {from_month} fragen wir bei Cloud-Konten, die 90 Tage ungenutzt sind, bei der Teamleitung "
        "nach. Der Betriebsrat prüft den Ablauf derzeit."
    ),
    "body": (
        "<p>Wir schauen ausschließlich auf Summen je Produkt und Abteilung. Einzelne Personen "
        "werden nicht ausgewertet. Erst wenn ein Konto 90 Tage ungenutzt ist, fragen wir bei der "
        "Teamleitung nach, ob es noch gebraucht wird.</p>"
    ),
}

# One member for each reviewer group of the workflow "Freigabe", so the workflow can be tried.
# Like every demo account, they get no password; an administrator sets one to sign in as them.
REVIEWERS = [
    {
        "group": "Kommunikation",
        "username": "l.hartmann",
        "first_name": "Lena",
        "last_name": "Hartmann",
        "email": "lena.hartmann@muster-ag.example",
    },
    {
        "group": "Betriebsrat",
        "username": "m.schulte",
        "first_name": "Michael",
        "last_name": "Schulte",
        "email": "michael.schulte@muster-ag.example",
    },
]
