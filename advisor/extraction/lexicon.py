"""Broad vocabularies per factor: the many ways teams say the same thing.

Patterns run on normalised text (lower case, straight quotes). Each cue sets one
Situation field; `offline.py` combines the hits per field (see FIELD_PRIORITY).
"""

from __future__ import annotations

from advisor.extraction.cues import SKIP, Cue, cue

# ---- shared fragments ---------------------------------------------------------------
CHANGE = (
    r"\b(chang\w*|updat\w*|refresh\w*|revis\w*|edit\w*|publish\w*|releas\w*|adds?|added|adding|"
    r"new|ships?|shipped|shipping|amend\w*|rotat\w*|evolv\w*|modif\w*|differ\w*|comes? in|"
    r"arriv\w*|stale|outdated|out of date|expir\w*|deprecat\w*|fluctuat\w*|moves?|moving|"
    r"rewrit\w*|replac\w*|launch\w*|introduc\w*|repric\w*|adjust\w*|volatile|dynamic|in flux|"
    r"turn over|rolls? out|go live|goes live)\b"
)
KNOWLEDGE_NOUN = (
    r"(docs?|documentation|documents?|manuals?|handbooks?|wiki|confluence|notion|sharepoint|"
    r"knowledge ?base|kb|help ?cent(?:er|re)|help articles|support articles|articles|faqs?|"
    r"polic(?:y|ies)|procedures|sops?|protocols|guidelines|contracts?|clauses|case law|"
    r"statutes?|regulations?|rulebooks?|filings|reports|pdfs?|spec(?:ification)? sheets?|specs|"
    r"catalog(?:ue)?s?|product (?:info|information|data|details|pages)|proposals|rfps?|papers|"
    r"repository|archive|playbooks|runbooks|ifus?|label documents|factsheets|fact sheets|guides|"
    r"curriculum|materials|content|intranet|corpus|datasheets|release notes|changelogs?|"
    r"price ?lists?|pricing sheets|case studies|judgments|precedents|records|transcripts|"
    r"knowledge articles|notes|information|info|facts|data|tickets|abstracts|books|textbooks|"
    r"library|publications|articles|threads|emails|transcripts|knowledge|codebase|code base|"
    r"repos?|repositories|source code|courses|course catalog|syllabus|menus?|listings|"
    r"product catalog|inventory data)"
)
LIVE_NOUN = (
    r"(prices?(?! ?(?:sheets?|lists?|guides?|documents?|pages?|tiers?))|pricing(?! ?(?:sheets?|"
    r"pages?|docs?|documents?|tiers?))|quotes?|stock (?:levels?|prices?|quotes?)|"
    r"in stock|inventory|availability|available (?:seats|rooms|slots)|seats?|order status|"
    r"status of (?:their|an|the|my|a) (?:order|shipment|ticket|claim|application)|shipments?|"
    r"tracking|delivery status|balances?|exchange rates?|fx rates?|rates|weather|forecasts?|"
    r"conditions|traffic|location|gps|positions?|delays?|gate changes|flight status|scores|odds|"
    r"wait times?|occupancy|telemetry|sensor (?:readings|data)|queue)"
)
AGENT = (
    r"\b(bot|chatbot|assistant|agent|copilot|model|llm|ai|it|automatically|on behalf|for (?:the )?"
    r"(?:user|users|customer|customers|employees|people)|able to|should|must|can|needs? to|"
    r"wants? to)\b"
)

# ---- tools ----------------------------------------------------------------------------
TOOL_CUES: tuple[Cue, ...] = (
    cue(
        "needs_live_data",
        True,
        rf"(?:current|currently|live|latest|real[- ]?time|right now|at the moment|as of (?:now|today)|"
        rf"up[- ]to[- ]the[- ](?:minute|second)|to the (?:second|minute)|today's|instant)\W+"
        rf"(?:\w+\W+){{0,2}}{LIVE_NOUN}",
        rf"{LIVE_NOUN}\W+(?:\w+\W+){{0,4}}(?:right now|at the moment|currently|in real[- ]?time|"
        r"live|as of now|to the (?:second|minute)|minute[- ]by[- ]minute|by the minute|hourly|"
        r"every (?:few )?(?:minutes?|seconds?|hours?)|by the hour)",
        r"(?:costs?|priced?|is available|are available|in stock|open|running late|delayed)\s+"
        r"(?:\w+\s+)?(?:right now|at the moment|currently|today)",
        r"order status|track(?:ing)? (?:my |their |an |the |a )?(?:order|package|parcel|shipment)s?",
        r"status of (?:their|an|the|my|a|his|her|your|each|our) (?:[\w']+ )?(?:orders?|shipments?|"
        r"packages?|deliver(?:y|ies)|tickets?|claims?|applications?|bookings?|refunds?|payments?|"
        r"requests?|flights?|servers?|services?|builds?|deployments?)",
        r"integrat\w+ (?:with|into) (?:our |the |their )?(?:crm|erp|salesforce|hubspot|calendar|"
        r"ticketing|jira|zendesk|slack|stripe|shopify|servicenow|workday|sap|netsuite|datadog|"
        r"\w+ api|\w+'s api|api)",
        r"where (?:is|'s) (?:my |their |the |a )?(?:order|package|parcel|shipment|truck|driver|"
        r"delivery|bus|train|flight|\w+ \d+)",
        r"in stock",
        r"stock (?:levels?|prices?|quotes?|tickers?)",
        r"account balances?",
        r"(?:research\w*|search\w*|find\w*|look\w* up|gather\w*|monitor\w*|scrap\w*|crawl\w*) "
        r"(?:[\w']+ ){0,3}(?:on|from|across) the (?:web|internet)",
        r"web search|search(?:es|ing)? (?:the )?(?:web|internet|online)|brows(?:e|es|ing) (?:the )?"
        r"(?:web|internet)|google (?:things|it|for)|(?:latest|breaking) news",
        r"inventory (?:levels?|counts?|positions?)|(?:stock|units|items) on hand|on[- ]hand",
        r"(?:which|what|where|who|how many|how much|is|are|whether)\b[^.?!;]{0,60}\b(?:right now|"
        r"currently|at the moment|as we speak|at this moment|this minute)",
        r"(?:via|through|using|calls?|calling|hits?|query|queries|querying|integrat\w+ with) (?:our|"
        r"the|their|a|an|its) (?!(?:[\w'-]+ ){0,2}?(?:openai|anthropic|azure|llm|model|gpt|claude|"
        r"gemini|mistral|cohere|hosted|inference|embeddings?|chat|completions?) )"
        r"(?:[\w'-]+ ){0,2}(?:api|apis|endpoints?|backend|webhooks?)"
        r"(?! (?:docs|documentation|reference|references|specs?|changes|changelog))",
        r"(?:their|my|your|his|her|the customer's|a customer's|the user's|a user's|each "
        r"customer's|each user's|our customers') (?:[\w']+ ){0,2}(?:transactions?|orders?|accounts?|"
        r"balances?|points|package|parcel|deliver(?:y|ies)|eta|subscriptions?|plan|bills?|"
        r"invoices?|claims?|appointments?|reservations?|bookings?|payments?|usage|statements?|"
        r"shipments?|applications?|tickets?|cards?|loans?|portfolios?|holdings|cart|trips?|"
        r"itinerar(?:y|ies)|leave|vacation days|pto|payslips?|benefits enrollment)",
        r"\beta\b|estimated (?:arrival|delivery) time|arrival time",
        r"(?:pull|pulls|pulling|fetch\w*|get|gets|grab|read|reads|look up|looks up|query|queries|"
        r"retriev\w+|check|checks)\s+(?:[\w']+ ){0,4}(?:from|in) (?:our |the |their )?"
        r"(?:salesforce|hubspot|crm|erp|sap|workday|jira|zendesk|stripe|shopify|backend|"
        r"system of record|ops system|servicenow|netsuite|datadog|github|gitlab|calendar|gmail|"
        r"outlook|ledger|core banking|billing system|booking system|order system|pos|prometheus|"
        r"datadog|grafana|splunk|new relic|cloudwatch|kibana|sentry|pagerduty|bigquery|snowflake)",
        r"from (?:our |the )?(?:prometheus|datadog|grafana|splunk|new relic|cloudwatch|kibana|"
        r"sentry|pagerduty|google analytics|mixpanel|amplitude)",
        r"(?:check|see|tell \w+|know) (?:whether|if) (?:a |the |their )?(?:[\w']+ ){0,2}(?:room|"
        r"slot|table|seat|flight|hotel|appointment|item|product|desk)s? (?:is|are) (?:free|"
        r"available|open|in stock|booked)",
        r"(?:exchange|fx|interest|currency) rates?",
        r"weather",
        r"forecasts?",
        r"flight (?:availability|status|delays?)",
        r"seat availability",
        r"live (?:feeds?|data|apis?|systems?|prices|pricing|inventory|gps|telemetry|scores|"
        r"status|order status|information|numbers|dashboards?)",
        r"real[- ]?time (?:data|feeds?|prices|pricing|inventory|status|quotes|information|"
        r"numbers|figures|positions|availability|updates|metrics|telemetry|sensor)",
        r"how many (?:\w+ ){0,2}(?:do |does |did )?(?:i|we|they|he|she|you|the user|the employee)"
        r"(?: \w+)? (?:have )?(?:left|remaining)",
        r"(?:check|look up|lookup|fetch|pull|query|retrieve|get)\s+(?:the |a |their |each |"
        r"the user's |a user's |the customer's |a customer's |an employee's |my )(?:\w+\s+){0,2}"
        r"(?:order|booking|reservation|subscription|account|balance|claim|application|shipment|"
        r"ticket) (?:status|details|state)",
        r"(?:that's|it's|which is|which lives|data lives|stored|kept) in (?:workday|salesforce|sap|"
        r"hubspot|our crm|the crm|our erp|the erp|our hris|the hris|netsuite|servicenow|jira)",
        if_negated=False,
    ),
    cue(
        "knowledge_change_frequency",
        "real_time",
        r"(?:update[sd]?|updating|change[sd]?|changing|refresh(?:es|ed)?|moves?|fluctuates?|"
        r"streams?|streaming)\s+(?:in\s+)?(?:real[- ]?time|constantly)\b(?! agent)",
        r"real[- ]?time (?:data|feeds?|updates|information|prices|pricing|inventory|status|"
        r"quotes|positions|telemetry)",
        r"minute[- ]by[- ]minute|second[- ]by[- ]second|by the (?:minute|second)|"
        r"every (?:few )?(?:seconds?|minutes?)|to the (?:second|minute)|up[- ]to[- ]the[- ]"
        r"(?:minute|second)",
        r"live (?:feeds?|data|prices|pricing|inventory|gps|telemetry|scores|market data)",
    ),
    cue(
        "needs_actions",
        True,
        r"(?:(?:and|then) (?:re)?book (?:it|them|one)|book (?:it|them) for)",
        r"(?:(?:to|can|and|or|should|must|will) |lets? (?:[\w']+ )?|help (?:[\w']+ )?)(?:re)?book "
        r"(?:[\w']+ ){0,2}(?:days?|leave|time off|pto|vacations?|holidays?|rooms?|desks?|slots?|"
        r"appointments?|meetings?|calls?|flights?|trips?|tables?|seats?|tickets?|hotels?|cars?|"
        r"classes|sessions?|demos?|visits?|shifts?)",
        r"(?:execute|executes|executing|place|places|placing|submit|submits) (?:[\w']+ ){0,3}"
        r"(?:orders?|trades?|transactions?|payments?|transfers?)",
        r"(?:buy|sell|buys|sells|trade|trades) (?:and sell )?(?:stocks?|shares|crypto|bitcoin|"
        r"securities|assets|orders?)",
        r"(?:book|books|booking|rebook|rebooks|rebooking|reserve|reserves|reserving|schedule|schedules|scheduling|"
        r"reschedul\w+|cancel|cancels|cancelling|canceling)\s+(?:\w+\s+){0,3}(?:meetings?|rooms?|"
        r"appointments?|calls?|flights?|seats?|tables?|demos?|slots?|travel|hotels?|"
        r"reservations?|orders?|subscriptions?|interviews?|visits?|deliver(?:y|ies)|pickups?)",
        r"(?:create|creates|creating|open|opens|opening|file|files|filing|raise|raises|log|logs|"
        r"logging|submit|submits|submitting|close|closes|closing|assign|assigns|assigning|"
        r"escalate|escalates|route|routes|update|updates|updating)\s+(?:\w+\s+){0,3}"
        r"(?:tickets?|issues?|incidents?|jira|zendesk|servicenow|(?:opportunity|deal|pipeline) "
        r"stages?|opportunit(?:y|ies)|leads?|deals?|contacts?|crm|salesforce|hubspot|expense "
        r"reports?|call notes|bugs?|pull requests?|prs|work orders?|purchase orders?)"
        r"(?! (?:data|history|archive|logs?|text|descriptions?|format|template|style|note style))",
        r"(?:issue|issues|issuing|process|processes|processing|approve|approves|approving)\s+"
        r"(?:a |the |their )?(?:refunds?|returns?|payments?|credits?|reimbursements?|"
        r"chargebacks?|expenses?|vouchers?|coupons?|gift cards?|discount codes?|replacements?)",
        r"(?:reset|resets|resetting|unlock|unlocks|unlocking|provision\w*|deprovision\w*|grant|"
        r"grants|revoke|revokes|disable|disables|enable|enables)\s+(?:\w+\s+){0,2}(?:passwords?|"
        r"accounts?|access|licen[cs]es?|permissions?|users?|mfa|vpn)",
        r"transfer(?:s|ring)? (?:\$|money|funds|\d)",
        r"(?:pay|pays|paying) (?:bills?|invoices?)",
        r"(?:place|places|placing|modify|amend|change) (?:an |the |their |new )?orders?",
        r"(?:trigger|triggers|kick off|kicks off|execute|executes|run|runs)\s+(?:\w+\s+){0,2}"
        r"(?:workflows?|jobs?|pipelines?|deployments?|scripts?|commands?|automations?|refunds?)",
        r"set (?:up )?(?:price |stock )?(?:alerts?|reminders?|alarms?)",
        r"(?:dispute|disputes|disputing|redeem|redeems|redeeming|renew|renews|upgrade|upgrades|"
        r"downgrade|downgrades|activate|activates|deactivate|block|blocks|freeze|freezes|"
        r"unfreeze|withdraw|deposit|top up|tops up|purchase|purchases|buy|buys)\s+(?:[\w']+ ){0,3}(?:charges?|"
        r"transactions?|points|rewards|plans?|subscriptions?|cards?|accounts?|items?|products?|"
        r"discounts?|coupons?|vouchers?|promo codes?|funds|money|tickets?|seats?|"
        r"replacements?|refunds?)(?= |$|\W)",
        r"(?:enrol\w*|register\w*|sign\w* up|subscrib\w*|unsubscrib\w*|onboard\w*|offboard\w*) "
        r"(?:[\w']+ ){0,3}(?:in|for|to|into|through|via|from) (?:[\w']+ ){0,2}(?:plans?|benefits?|"
        r"courses?|classes|programs?|events?|newsletters?|workday|systems?|accounts?)",
        r"(?:through|via) (?:our |the )?(?:workday|salesforce|sap|hubspot|zendesk|servicenow|jira|"
        r"stripe|shopify|netsuite|concur|oracle|dynamics|quickbooks|xero|slack|outlook|gmail|"
        r"google calendar|twilio)",
        r"(?:place|places|placing) (?:an? )?orders?|order (?:a |an |the )?(?:replacement|refill)|"
        r"apply (?:a |the )?(?:discount|coupon|promo code|voucher)",
        r"(?:change|changes|update|updates|edit|correct) (?:the |their |my |a |your )?(?:delivery |"
        r"shipping |billing |home |email |mailing )?(?:address|phone number|email address|"
        r"payment method|password|plan|booking|reservation|appointment|order|seat)",
        r"(?:update|write|edit|modify|change|delete|amend)s? (?:[\w']+ ){0,3}(?:records?|fields|"
        r"entries|rows|profiles?|accounts?|statuses)(?= (?:in|on|after|when|for|with)|$|\W*$)",
        r"restart\w* (?:[\w']+ ){0,2}(?:services?|servers?|pods?|jobs?|machines?)|"
        r"(?:creates?|places?|raises?|submits?) (?:a |an )?(?:restock|purchase|replenishment|work) "
        r"orders?",
        r"(?:add|adds) (?:[\w']+ )?to (?:the |their |my )?(?:cart|calendar|basket)",
        r"(?:create|creates|send|sends) (?:calendar )?(?:invites?|events?)",
        r"fill (?:in|out) (?:the |their )?forms?",
        r"(?:take|takes|taking|perform|performs|performing) actions?",
        r"agentic|autonomous(?:ly)? (?:agents?|completes?|performs?|handles?|acts?)|"
        r"(?:ai |llm )?agents? that (?:can )?(?:do|perform|complete|handle|carry out|execute)",
        r"act on (?:our|external|other|their) systems",
        r"actions? in (?:our|other|external) systems",
        r"(?:files|file|submits|submit) (?:[\w']+ ){0,2}for approval",
        r"(?:send|sends|sending|post|posts|posting) (?:\w+\s+){0,3}(?:emails?|messages?|"
        r"notifications?|reminders?|slack messages|texts?|sms|invoices?|replies)"
        r"(?= (?:to|on|in|for) (?:the |our |their )?(?:customer|user|client|slack|team|channel|"
        r"them|people))",
        if_negated=False,
    ),
    cue(
        "needs_actions",
        False,
        r"read[- ]only",
        r"(?:no|without|never) (?:[\w']+ )?(?:actions|write access|side effects)",
        check_negation=False,
    ),
    cue(
        "needs_exact_computation",
        True,
        r"(?:average|avg|mean|median|sum|total|totals|aggregate\w*|tally|percentage|percent|"
        r"ratio|growth|year[- ]over[- ]year|yoy|month[- ]over[- ]month|quarter[- ]over[- ]quarter|"
        r"top (?:\d+|three|five|ten)|rank(?:ed|ing)? by|breakdown|how many|how much|count of|"
        r"number of|sum of|min(?:imum)?|max(?:imum)?)\W+(?:\w+\W+){0,4}(?:revenue|sales|orders?|"
        r"order value|spend|spending|transactions?|customers|churn|signups?|sign-ups|tickets|"
        r"invoices?|payments?|margins?|profit|conversion|kpis?|products by|bookings|units|"
        r"shipments|claims|days|hours|headcount|leads|deals|refunds|returns)\b",
        r"(?:revenue|sales|orders|spend|churn|signups|tickets|transactions|bookings|units|claims)"
        r"(?! (?:reps?|team|teams|people|ops|staff|org|calls|emails|decks?|managers?|assistant|"
        r"cycle|pipeline|bot|agents?|copilot|questions))\W+(?:\w+\W+){0,3}(?:this|last|per|each|by|over the last|in the last|year[- ]over[- ]"
        r"year|month[- ]over[- ]month) (?:quarter|month|year|week|region|day|country|team|"
        r"rep|product|12 months|\d+ (?:days|weeks|months))",
        r"(?:this|last|previous|current) quarter's (?:revenue|sales|numbers|figures|results|kpis)",
        r"(?:calculat(?:e|es|ed|ing|ion|ions)|comput(?:e|es|ed|ing|ation|ations)|arithmetic|math)"
        r"\b(?! (?:intensive|cost|budget|heavy|resources|power))",
        r"(?:into|to|generate|generates|generating|write|writes|writing) sql(?!-)|text[- ]to[- ]sql|"
        r"nl[- ]to[- ]sql",
        r"(?:run|runs|running|execute|executes|query|queries) (?:[\w']+ ){0,3}(?:against|on|over|"
        r"in) (?:our |the |their )?(?:[\w']+ )?(?:database|db|warehouse|tables?|bigquery|"
        r"snowflake|postgres|redshift)",
        r"(?:data|numbers|figures|metrics) (?:lives?|sits?|is stored|are stored) in (?:bigquery|"
        r"snowflake|postgres|redshift|our (?:database|warehouse|db)|a (?:database|warehouse))",
        r"exact (?:numbers?|figures|counts?|amounts?|totals?|values|sums?|metrics)",
        r"how (?:many|much)\b[^.?!;]{0,60}\b(?:last|this|past|previous|per|each|so far|since|"
        r"year[- ]to[- ]date|ytd|in the last|over the last) ?(?:week|month|quarter|year|day|"
        r"\d+ (?:days|weeks|months)|q[1-4]|monday|january|february|march|april|may|june|july|"
        r"august|september|october|november|december)?",
        r"precise (?:numbers?|figures|counts?|amounts?|totals?)",
        r"(?:right )?to the cent",
        r"numbers? (?:must|need to|have to|should) be (?:exact|precise|correct|right|accurate)",
        r"(?:query|queries|querying) (?:our |the )?(?:database|db|data warehouse|warehouse|"
        r"tables?)",
        r"data warehouse",
        r"(?:revenue|churn|conversion) (?:by|rates?|per)",
        r"not estimates",
        r"(?:run|runs|running|execute|executes|executing|write and run) (?:[\w']+ ){0,2}(?:python|"
        r"code|scripts?|notebooks?)|code interpreter|sandbox(?:ed)? (?:code )?execution",
        needs_in_clause=None,
        if_negated=False,
        unless=r"\b(explain\w*|explanation)\b.{0,40}\bsql\b|\bsql\b.{0,60}\bexplain",
    ),
)

# ---- knowledge --------------------------------------------------------------------------
_DAILY = (
    r"daily|every ?day|each day|every morning|each morning|every night|nightly|overnight|"
    r"(?:several|multiple|many|a few) times (?:a|per|each) day|(?:several|multiple) times daily|"
    r"hourly|every (?:few |couple of )?hours?|each hour|intraday|all day|throughout the day|"
    r"day[- ]to[- ]day|by the hour|this morning|same[- ]day|constantly|continuously|"
    r"all the time|around the clock"
)
_WEEKLY = (
    r"weekly|every (?:single )?week|each week|bi-?weekly|every (?:other|two|couple of|2) weeks|"
    r"fortnightly|every (?:sprint|release|deploy(?:ment)?)|each (?:sprint|release|deploy(?:ment)?)|"
    r"with (?:every|each) (?:[\w']+ )?(?:release|sprint|deploy)|(?:a few|several|two|three|multiple) "
    r"times (?:a|per|each) week|twice a week|once a week|per week|a week"
)
_MONTHLY = (
    r"monthly|every month|each month|per month|a month|quarterly|every quarter|each quarter|"
    r"every (?:few|couple of|two|three|several|2|3|4|6) (?:weeks|months)|every (?:term|semester|"
    r"season)|each (?:term|semester|season)|seasonally|(?:several|a few|multiple|many) times a "
    r"year|periodically|every so often|from time to time"
)
_RARELY = (
    r"rarely|seldom|hardly ever|infrequently|once a year|yearly|annually|every year|each year|"
    r"once or twice a year|every (?:few|couple of|two|2|three|3) years|almost never|not (?:very )?"
    r"often|barely"
)
_FREQUENT = (
    r"frequent(?:ly)?|often|regularly|ever[- ]?changing|always changing|changing|evolving|"
    r"fast[- ]moving|fast[- ]changing|rapidly changing|keeps? changing|in flux|volatile|"
    r"moving target|go(?:es)? stale|outdated (?:fast|quickly)|all over the place"
)

KNOWLEDGE_CUES: tuple[Cue, ...] = (
    cue("knowledge_change_frequency", "daily", _DAILY, needs_in_clause=CHANGE, if_negated="rarely"),
    cue(
        "knowledge_change_frequency", "weekly", _WEEKLY, needs_in_clause=CHANGE, if_negated="rarely"
    ),
    cue("knowledge_change_frequency", "monthly", _MONTHLY, needs_in_clause=CHANGE),
    cue(
        "knowledge_change_frequency",
        "rarely",
        _RARELY,
        needs_in_clause=CHANGE,
        check_negation=False,
    ),
    cue(
        "knowledge_change_frequency",
        "weekly",
        _FREQUENT,
        needs=CHANGE + "|" + KNOWLEDGE_NOUN,
        if_negated="static",
    ),
    cue(
        "knowledge_change_frequency",
        "monthly",
        r"(?:add|adds|adding|remove|removes|removing|update|updates|updating|swap|change|edit)"
        r"\w* (?:[\w']+ ){0,8}without (?:re-?train\w*|training|fine[- ]?tun\w*)",
        r"keeps? (?:shipping|releasing|adding|updating|changing|publishing|launching)|"
        r"new versions?",
        check_negation=False,
    ),
    cue(
        "knowledge_change_frequency",
        "monthly",
        rf"(?:current|latest|up[- ]to[- ]date|most recent|newest|current version of (?:the |each |"
        rf"our )?)\W+(?:\w+\W+){{0,2}}{KNOWLEDGE_NOUN}",
        check_negation=False,
    ),
    cue(  # documents newer than the model's training: knowledge it cannot have
        "needs_private_knowledge",
        True,
        rf"(?:current|latest|up[- ]to[- ]date|most recent|newest|current version of (?:the |each |"
        rf"our )?)\W+(?:\w+\W+){{0,2}}{KNOWLEDGE_NOUN}",
        check_negation=False,
    ),
    cue(
        "knowledge_change_frequency",
        "static",
        r"(?:never|hardly|rarely) changes?",
        r"(?:doesn't|does not|don't|do not|won't|will not) "
        r"(?:really )?change",
        r"(?:hasn't|has not|haven't|have not) changed",
        r"(?:static|fixed|stable|unchanging|frozen|evergreen|set in stone)\W+(?:\w+\W+){0,2}"
        rf"{KNOWLEDGE_NOUN}",
        rf"{KNOWLEDGE_NOUN}\W+(?:is|are|stays?|remains?) (?:basically |"
        r"fairly |pretty |mostly )?(?:static|fixed|stable|frozen|unchanging|the same)",
        check_negation=False,
    ),
    cue(
        "needs_private_knowledge",
        True,
        r"(?:answer|answers|answering|questions?|ask|asks|asking|query|queries|look ?up|"
        r"lookups?|search|searching|find|finding|retrieve|pull|pulls|grounded|based on|from|"
        r"over|using|uses?|used|across|consult|read through|draw(?:s|ing)? on|rel(?:y|ies|ying) on|reflect|"
        r"reflects|cite|citing|reference|referencing|explain\w*|add|adds|remove|removes|index|"
        r"indexes|ingest|ingests|upload|uploads|knows? about|questions? about|asks? about|"
        r"answers? about|info(?:rmation)? about)\W+(?:\w+\W+){0,6}"
        + KNOWLEDGE_NOUN
        + r"\b(?! ?(?:format|template|style|structure|schema|conventions))",
        r"(?:doesn't|does not|don't|do not|can't|cannot) know (?:anything |much )?about (?:our|the|"
        r"its|their)",
        r"(?:answer\w*|questions?|ask\w*|explain\w*|information|info|faqs?|queries|help\w*) "
        r"(?:[\w']+ ){0,3}(?:about|on|regarding|concerning) (?:our|the company's|its|their|the "
        r"firm's|the university's|the hospital's|the bank's)(?! (?:own )?(?:style|voice|tone|format))",
        r"knowledge ?base|kb|internal (?:docs|documentation|wiki|knowledge|documents|policies|"
        r"apis?|tools|systems|processes)|"
        r"help ?cent(?:er|re)|confluence|sharepoint|\bcorpus\b|our (?:docs|documentation)",
        check_negation=False,
        unless=r"\b(fine[- ]?tun\w*|train\w*) (?:[\w']+ )?on (?:our|the|its)\b(?!.*\b(answer|question))",
    ),
    cue(
        "needs_private_knowledge",
        False,
        r"nothing (?:proprietary|internal|company[- ]specific)",
        r"(?:general|world|common|the base model's|its own|built-in) (?:general )?knowledge "
        r"(?:is|should be) (?:enough|sufficient|fine)",
        r"(?:doesn't|does not|don't|do not|won't) (?:need|require|depend on|use|rely on) "
        r"(?:any )?(?:company|internal|our|proprietary|private|changing|external)? ?"
        r"(?:data|docs|documents|knowledge|facts|information)",
        r"no (?:company|internal|proprietary|private|domain) (?:knowledge|data|docs|documents|"
        r"information)(?: is)?(?: (?:needed|required))?",
        r"(?:nothing|not|none) (?:about it |of it )?(?:depends?|relies|rely) on (?:company|our|"
        r"internal|any) (?:documents|docs|data|knowledge|facts)",
        r"facts are(?: not|n't) (?:really )?involved",
        r"(?:not|isn't|is not) about facts",
        r"(?:standard|general|public|common|basic|generic) (?:[\w-]+ )?(?:material|knowledge|"
        r"facts|information)",
        r"publicly available (?:knowledge|information)",
        check_negation=False,
    ),
    cue(
        "knowledge_size",
        "large",
        r"(?:large|huge|massive|big|enormous|vast|sprawling|extensive|growing|giant)\s+(?:\w+\s+)"
        r"{0,2}(?:knowledge ?base|kb|corpus|collection|archive|library|repository|wiki|"
        r"documentation|pile|amount of|number of (?:docs|documents|pages)|set of (?:docs|documents)"
        r"|document (?:store|set|collection))",
        r"(?:thousands|millions|hundreds of thousands|tens of thousands|hundreds) of (?:[\w']+ )?"
        r"(?:documents|docs|pages|articles|pdfs|files|contracts|policies|manuals|papers|reports|"
        r"records|judgments|filings|spec sheets|sheets|wiki pages|emails|tickets)",
        r"(?:entire|whole|full) (?:[\w']+ )?(?:documentation|wiki|help ?cent(?:er|re)|knowledge ?base|"
        r"archive|corpus|library|catalog(?:ue)?|repository|intranet)",
        r"years of (?:[\w']+ )?(?:reports|documents|filings|research|case files|contracts|records)",
        rf"{KNOWLEDGE_NOUN} (?:is|are) (?:[\w']+ )?(?:huge|massive|enormous|vast|large|big|sprawling|"
        r"too (?:big|large|long) (?:for|to fit))",
        r"\d+(?:\.\d+)?\s*(?:gb|tb|gigabytes?|terabytes?)\b",
        r"\d{3,}\s*(?:mb|megabytes)\b",
        r"[\d.,]+\s*(?:k|m|million|thousand)?[- ]item (?:repository|catalog(?:ue)?|library|archive)",
        check_negation=False,
    ),
    cue(
        "knowledge_size",
        "fits_in_prompt",
        r"fits? (?:easily )?(?:in|into|inside) (?:the |a |our |one )?(?:prompt|context(?: window)?|"
        r"system prompt|single prompt)",
        r"(?:paste|put|stuff|include|drop)\w* (?:[\w']+ ){0,4}(?:in|into) (?:the |a |our )?"
        r"(?:system )?prompt",
        r"(?:short|tiny|small|brief|little|simple|one[- ]page|single[- ]page|two[- ]page|"
        r"\d[- ]page) (?:[\w']+ )?(?:faq|doc|document|policy|list|paragraph|page|handbook|"
        r"checklist|knowledge ?base|kb|guide|set of (?:rules|faqs|docs|facts))",
        r"fits on (?:one|a single|a|two) pages?",
        r"one[- ]pager",
        r"a (?:short )?paragraph",
        r"(?:a few|a couple of|couple of|two|three) pages",
        r"handful of (?:documents|docs|pages|"
        r"faqs|facts|rules)",
        check_negation=False,
    ),
    cue(
        "needs_citations",
        True,
        r"cite|cites|citing|citations?|cited",
        r"source attribution|attribut\w+ (?:to )?(?:the )?sources?",
        r"links? (?:back )?to (?:the |its |each |every |their )?(?:[\w-]+ )?(?:source|sources|"
        r"original|documents?|articles?|docs?|pages?|policy|policies|records?|entry|entries)",
        r"with links?|show(?:s|ing)? (?:the |their |its )?sources?",
        r"show(?:s|ing)? where (?:[\w']+ ){0,4}came from|which (?:clause|document|passage|page|section|"
        r"source|paragraph|article|policy|doc|file|contract|rule)\w* (?:[\w']+ ){0,5}(?:came|comes|come)"
        r" from",
        r"referenc(?:e|es|ing) (?:to )?(?:the |specific |exact |a |each |its |their )?(?:[\w']+ ){0,2}"
        r"(?:source|sources|protocol|document|documents|section|sections|paragraph|papers?|clause|"
        r"clauses|article|articles|regulation|statute|policy|page|pages)",
        r"point(?:s)? (?:back )?to (?:the )?(?:exact |specific )?(?:paragraph|section|document|"
        r"source|clause|passage|page|policy|rule)",
        r"footnotes?|provenance|sources? (?:links?|references?)|back (?:it|them|answers) up with "
        r"sources|quote the source",
        r"sources? (?:shown|displayed|linked|listed|included|attached|visible)",
        r"(?:doi|dois|url|urls|link|links|page numbers?|references?) (?:of|for|to) (?:each|the|"
        r"every|its|their) (?:source|document|answer|claim|passage)",
        r"(?:answers?|responses?) with (?:the |their |its )?(?:sources?|references?|links?|dois?)",
        r"trace[sd]? (?:[\w']+ ){0,3}(?:back )?to (?:the |a |its |their )?(?:source|sources|document|"
        r"documents|policy|paragraph|clause|statute|original)",
        if_negated=False,
        unless=r"citation (?:format|formatting|style)|[- ]style citations|bluebook|legal citations? "
        r"(?:format|style)",
    ),
    cue(
        "needs_audit",
        True,
        r"audit|audits|auditable|auditability|auditors?|audit trail",
        r"traceab\w+|trace[sd]? (?:[\w']+ ){0,3}(?:back )?to",
        r"explainab\w+|explain (?:the |its |their )?(?:outputs|answers|decisions|reasoning)",
        r"accountab\w+|defensible|verifiable",
        r"regulators? (?:require|want|need|demand|ask|expect)\w*",
        r"compliance (?:wants|requires|needs|team|demands|asks|officers?|review)",
        if_negated=False,
    ),
    cue(
        "regulated",
        True,
        r"regulated|regulatory|regulators?|hipaa|gdpr|finra|sox|fda|pci|bank|banks|banking|"
        r"insurance|insurer|healthcare|health care|hospitals?|clinical|clinicians|medical|pharma\w*|"
        r"legal|law firm|lawyers?|attorneys?|financial services|wealth management|compliance|"
        r"patients?",
        check_negation=False,
    ),
)

# ---- behaviour -----------------------------------------------------------------------
BEHAVIOUR_CUES: tuple[Cue, ...] = (
    cue(
        "output_format_strictness",
        "strict",
        r"valid json|json|json schema|schema|xml|yaml|csv|hl7|fhir|edi",
        r"(?:strict|exact|rigid|fixed|specific|standardi[sz]ed|validated|precise|mandated|"
        r"required|consistent)\W+(?:\w+\W+){0,4}(?:format|template|schema|structure|layout|"
        r"fields|conventions|syntax)",
        r"exactly (?:the |this |our |that )?(?:format|template|structure|schema)",
        r"machine[- ]readable|must parse|parser|parsable|parseable|parses|downstream (?:system|"
        r"parser|code|service|pipeline|tool)s?",
        r"structured output|field names|exact fields|response contract|format matters|bluebook",
        r"(?:must|has to|have to|needs? to|always) (?:be )?(?:valid|well[- ]formed|formatted as|"
        r"output|return|produce|match|follow|conform to)\s+(?:\w+\s+){0,3}(?:json|xml|yaml|csv|"
        r"markdown|schema|format|template)",
        r"(?:always|every time) (?:[\w']+ ){0,3}(?:in|as) (?:[\w']+ ){0,3}(?:format|json|template)",
        r"(?:memo|report|response|ticket[- ]note|escalation) (?:structure|format|template)",
        r"(?:house|in-house|our own|company|firm's|their) (?:format|template|layout|structure)",
        r"(?:into|in|as|to) (?:our|the|a|their) (?:[\w'-]+ ){0,3}(?:format|template|schema)\b"
        r"(?! (?:doesn't|does not|is flexible))",
        r"markdown with",
        r"code[- ]sample conventions",
        if_negated="free",
    ),
    cue(
        "output_format_strictness",
        "structured",
        r"templates?|structured|bullet(?:ed)? points|bulleted|headings|report format|"
        r"standard report|consistent (?:format|structure|shape)|same (?:shape|format|structure)|"
        r"outline|table format|form fields|action items",
        if_negated="free",
    ),
    cue(
        "output_format_strictness",
        "free",
        r"free[- ]form|free text|free[- ]text|any format|format (?:is flexible|doesn't matter|"
        r"does not matter)|no (?:particular|specific|strict|fixed) format",
        check_negation=False,
    ),
    cue(
        "tone_requirement",
        True,
        r"brand(?:'s)? voice|our voice|on[- ]voice|on[- ]brand|off[- ]brand|tone|tones|"
        r"voice(?! (?:assistant|bot|interface|agent|channel|calls?|recognition|input|commands?|"
        r"control|ui|app))",
        r"persona|personality|style guide|house style|writing style|signature (?:tone|style|voice)",
        r"sounds? like (?:us|our|a|an|the)|speaks? like|talks? like|reads? like|"
        r"in the style of|mimic\w*",
        r"(?:formal|informal|friendly|playful|warm|empathetic|casual|professional|luxury|concise|"
        r"upbeat|witty|compliant|age[- ]appropriate|calm|gentle|authoritative|conversational|"
        r"legal|clinical|technical|plain[- ]english|simple) (?:[\w-]+ )?(?:tone|voice|register|"
        r"style|manner)",
        r"in (?:a|an|our|the|their|its|each|every|his|her|my|your) (?:[\w']+[- ]){0,2}(?:style|"
        r"voice|tone|register|manner)",
        r"(?:our|the|their|company's|firm's|brand's|team's) (?:own )?(?:house |writing |signature |"
        r"distinctive |specific |particular )?(?:style|voice)(?! guide)",
        r"match(?:es)? (?:[\w']+ ){0,3}style|reps?'s? style|(?:learned|own|distinctive|specific|personal|"
        r"unique) (?:[\w']+ )?style|style(?: that)? (?:prompting|prompts?)",
        r"(?:approved|mandated|required|vetted|exact|specific|compliant|legal-approved) "
        r"(?:phrasing|wording|language|disclaimers?)|phrasing and structure",
        r"character(?! (?:counts?|limit|set|encoding|level))|copywriters?|copy samples|"
        r"marketing[- ]speak|brand guidelines|writing style|style (?:of|that) (?:our|the|their)",
        if_negated=False,
        unless=r"\bvoice (?:assistant|bot|interface)\b(?!.*\b(tone|persona|brand)\b)",
    ),
    cue(
        "specialised_jargon",
        True,
        r"jargon|terminology|terminologies|vocabulary|vocab|nomenclature|taxonomy|acronyms?|"
        r"abbreviat\w+|shorthand|slang|dialect|lingo",
        r"domain[- ]specific (?:language|terms|words|syntax)|technical terms|in[- ]house terms|"
        r"(?:specialist|specialized|specialised|niche|industry) (?:terms?|language|words)",
        r"icd-?\d*|cpt codes?|snomed|hl7|bluebook|legal citation|medical coding|coding syntax|"
        r"our own terms|internal codes",
        if_negated=False,
    ),
    cue(
        "needs_consistent_behaviour",
        True,
        r"refus\w+|declin\w+ to answer|off[- ]limits|stays? on[- ]topic|off[- ]topic|guardrails?",
        r"follow\w* (?:a |our |the |an |exact )?(?:\w+[- ]){0,2}(?:step|steps|process|script|"
        r"procedure|protocol|playbook|checklist|workflow|runbook|sop)",
        r"multi[- ]step (?:process|procedure)|(?:two|three|four|five|six|seven|\d+)[- ]step",
        r"(?:team's|our|house|internal|coding|naming|company|firm's|review) (?:[\w']+ )?"
        r"conventions|(?:in|follow\w*|match\w*) (?:[\w']+ ){0,2}conventions",
        r"troubleshooting script|escalat\w+|triage|predictable (?:reasoning|behaviou?r)|"
        r"reasoning steps|consistent(?:ly)? (?:behaviou?r|refus\w+)|always (?:follow|escalate|ask|"
        r"refuse)|never (?:goes|go) off|safe (?:structured )?format|resolution patterns",
        if_negated=False,
    ),
    cue(
        "narrow_repetitive_task",
        True,
        r"classif\w+|categori[sz]\w+|tagging|tag (?:[\w']+ ){0,2}(?:with|as|into)|label(?:l)?ing|"
        r"rout(?:e|es|ing) (?:[\w']+ ){0,2}(?:into|to)|triage|extract\w*|named entit\w+|"
        r"(?:map|maps|mapping) (?:[\w']+ ){0,3}to (?:[\w']+ )?codes|convert\w* (?:[\w']+ ){0,3}into|"
        r"normali[sz]\w+|autocomplete|intent (?:detection|tagging)|sentiment",
        if_negated=False,
    ),
)

# ---- deployment and model ---------------------------------------------------------------
DEPLOYMENT_CUES: tuple[Cue, ...] = (
    cue(
        "deployment",
        "on_device",
        r"on[- ]device|on the (?:device|phone|handset|tablet|laptop|watch|head unit|edge)",
        r"offline (?:edge|device|box|machine|laptop|tablet|phone|app|mode|kiosk)|edge (?:box|"
        r"gateway|server|node|computer|appliance)",
        r"onboard (?:computer|hardware|device|chip|processor)|no (?:link|uplink|connection|"
        r"contact) (?:to|with) (?:the )?(?:ground|server|cloud|internet|base)",
        r"edge (?:device|deployment|hardware|inference)|at the edge|embedded (?:device|hardware|"
        r"system)s?|wearable|head unit|raspberry pi|microcontroller",
        r"no (?:connectivity|internet|signal|network|connection|reception|cell (?:coverage|"
        r"service)|wifi|wi-fi|data connection)",
        r"without (?:an? )?(?:internet|connectivity|connection|network|signal|wifi|wi-fi)",
        r"(?:fully|completely|entirely|work|works|working|runs?|running|operate|operates) offline|"
        r"offline[- ]first|in airplane mode|disconnected",
        check_negation=False,
    ),
    cue(
        "deployment",
        "air_gapped",
        r"air[- ]?gap\w*|classified (?:network|environment|systems?)|isolated network|"
        r"no external (?:network|access|connections?)|scif",
        check_negation=False,
    ),
    cue(
        "deployment",
        "on_premises",
        r"on[- ]?prem\w*|self[- ]host\w*|(?:our|their|its|the \w+'s) own (?:gpus?|servers?|"
        r"hardware|data ?cent(?:er|re)s?|infrastructure|metal|cluster)",
        r"in[- ]house (?:servers?|hosting|infrastructure|gpus?)",
        r"(?:data|records|it|information|nothing) (?:can't|cannot|can not|must not|may not|mustn't|"
        r"isn't allowed to|is not allowed to|never|can never|should not|shouldn't) (?:[\w']+ )?"
        r"(?:leave|leaves|go to|be sent)",
        r"(?:can't|cannot|can not|not allowed to|aren't allowed to|are not allowed to|may not|"
        r"must not|forbidden to|prohibited from) (?:[\w']+ ){0,2}(?:send|upload|use|share|move)\w* "
        r"(?:[\w']+ ){0,3}(?:cloud|openai|third[- ]party|external|hosted|public)",
        r"(?:no|can't use|cannot use|not allowed to use) (?:the )?(?:cloud|openai|third[- ]party "
        r"(?:apis?|providers?|llms?|services?)|external apis?|hosted (?:apis?|models?|llms?))",
        r"data (?:residency|sovereignty)|sovereign",
        check_negation=False,
    ),
    cue(
        "deployment",
        "cloud",
        r"(?:openai|anthropic|azure openai|bedrock|vertex(?: ai)?|gemini) api|hosted api|"
        r"cloud[- ]hosted|in the cloud|via (?:the )?api|through (?:the )?api",
        if_negated=SKIP,
        unless=r"\b(not allowed|can't|cannot|must not|may not|no cloud|on[- ]?prem)",
    ),
    cue(
        "base_model_size",
        "small",
        r"phi-?\d*|gemma(?:-?\d)?|tinyllama|distil\w*|slms?|small (?:language |open |open-source |"
        r"local |custom |self-hosted )?models?|tiny models?|lightweight models?|mini models?|"
        r"small open model",
        check_negation=False,
    ),
    cue(
        "base_model_size",
        "medium",
        r"mid[- ]?size[d]? (?:[\w']+ )?models?|medium[- ]size[d]? (?:[\w']+ )?models?|mixtral",
        check_negation=False,
    ),
    cue(
        "base_model_size",
        "large",
        r"gpt-?4\w*|gpt-?5\w*|claude|gemini|frontier (?:model|llm)s?|trillion[- ]parameter|"
        r"(?:large|big|strongest|best) (?:hosted |general[- ]purpose )?(?:llm|model)s?",
        check_negation=False,
    ),
    cue(
        "early_stage",
        True,
        r"prototyp\w*|mvp|proof[- ]of[- ]concept|poc|pilot|hackathon|early[- ]stage|"
        r"just (?:starting|getting started)|side project|validate (?:that|whether|the idea|demand|"
        r"the product|interest)|before investing|two[- ]person|\d[- ]person (?:startup|team)|"
        r"tiny team|small team",
        check_negation=False,
    ),
)

# ---- history: what was tried, what goes wrong ----------------------------------------
_PROMPT = (
    r"(?:prompt engineering|prompt[- ]engineered (?:model|version|bot)|prompting|prompts?|"
    r"system prompts?|few[- ]shot(?: prompt(?:ing)?)?|instructions|the prompted model|"
    r"in-context examples|prompt instructions)"
)
_WORKS = (
    r"(?:works?|worked|working) (?:well|fine|nicely|great|ok|okay|really well)|"
    r"does (?:fine|well|a (?:good|great|decent) job|the job)|do(?:es)? fine|handles? it (?:nicely|"
    r"well|fine)|(?:is|are|was) good enough|got us (?:most of the way|there|\d+%)|"
    r"gets? (?:us )?(?:most of the way|there)|happy with (?:it|the results)|seems to do fine|"
    r"already (?:works|does|handles)|works out of the box|nails it"
)
_FAILS = (
    r"(?:isn't|is not|wasn't|aren't|not) cutting it|(?:isn't|is not|wasn't|not) enough|"
    r"(?:doesn't|does not|didn't|did not|hasn't|has not|won't) (?:really )?(?:work|help|"
    r"hold|stick|keep)|failed|fails|can't|cannot|couldn't|could not|still|inconsistent\w*|"
    r"unreliabl\w*|drifts?|drifting|breaks?|broke|tops out|topped out|plateau\w*|"
    r"(?:hasn't|haven't|has not|have not|never) nailed|gets? (?:[\w']+ ){0,5}wrong|"
    r"keeps? (?:slipping|getting|breaking|drifting|forgetting|ignoring|making|sounding|"
    r"producing|adding|using|missing|losing)|slipping|"
    r"(?:don't|doesn't|do not|does not) get it to|(?:alone|by itself) (?:don't|doesn't|can't|"
    r"isn't|won't|is not|are not)|struggl\w+|falls? short|not reliabl\w+|"
    r"(?:\d+|one) in \d+|\d+% of the time|about a third|only (?:half|partly|partially)|"
    r"half (?:right|the time)|"
    r"(?:hasn't|haven't|has not|have not|didn't|did not|doesn't|does not|couldn't|can't|cannot|"
    r"won't|isn't|wasn't) (?:[\w']+ ){0,2}(?:achiev|get|got|hit|reach|captur|deliver|produc|manag|"
    r"fix|solv|nail|hold|keep|enforc|match|follow|stick)\w*"
)

HISTORY_CUES: tuple[Cue, ...] = (
    cue(
        "prompting_outcome",
        "inconsistent",
        rf"{_PROMPT}\W+(?:\w+\W+){{0,10}}(?:{_FAILS})",
        rf"(?:despite|even with|even after|tried|we've tried|we have tried|after|spent (?:[\w']+ )"
        rf"{{0,2}}on|iterated on|tuned|tweaked|rewrote)\W+(?:\w+\W+){{0,4}}{_PROMPT}",
        rf"{_PROMPT}\W+(?:\w+\W+){{0,4}}(?:mostly|usually|often|sometimes) works?",
        rf"(?:{_WORKS}|works)\W+(?:\w+\W+){{0,4}}but",
        needs=_PROMPT + r"|\b(gpt-?4\w*|claude|gemini|the base model|base model)\b",
    ),
    cue(
        "prompting_outcome",
        "works",
        rf"{_PROMPT}\W+(?:\w+\W+){{0,12}}(?:{_WORKS})",
        rf"(?:gpt-?4\w*|claude|gemini|llama|the base model|base model|the model|chatgpt)\W+"
        rf"(?:\w+\W+){{0,6}}(?:{_WORKS})",
        check_negation=False,
    ),
    cue(
        "prompting_tried",
        False,
        r"(?:haven't|have not|hasn't|has not|didn't|did not|never|not yet|yet to) (?:really |"
        r"even |actually )?(?:tried|experimented with|tested|done|attempted|played with|"
        r"explored) (?:any |much |proper |serious |real )?(?:prompt|prompting|prompt engineering|"
        r"few[- ]shot|anything)",
        r"jumped straight to|assumed (?:we'd|we would|we'll) need to (?:train|fine[- ]?tune|build)",
        r"not (?:yet )?tried prompt\w*",
        check_negation=False,
    ),
    cue(
        "current_approach",
        "rag",
        r"(?:our|the|existing|current) (?:rag|retrieval)(?:[- ]based)? (?:bot|system|pipeline|"
        r"setup|chatbot|assistant|app|solution)",
        r"(?:we|i) (?:already )?(?:use|have|built|run|deployed|implemented) (?:a |an )?(?:rag|"
        r"retrieval|vector (?:search|database|db|store))",
        r"retrieves? the (?:right|correct) (?:passages|chunks|documents)",
        check_negation=False,
        unless=r"\?\s*$|\b(should|could|would|whether)\b",
    ),
    cue(
        "current_approach",
        "fine_tuning",
        r"(?:we|i) (?:already )?(?:have )?fine[- ]?tuned|our fine[- ]?tuned (?:model|version)|"
        r"we've fine[- ]?tuned",
        check_negation=False,
        unless=r"\?\s*$|\b(should|could|would|whether)\b",
    ),
    cue(
        "considered_approach",
        "fine_tuning",
        r"(?:thinking (?:about|of)|considering|planning (?:to|on)|plan to|going to|were going to|"
        r"want to|would like to|wondering (?:if|whether)|should (?:we|i)|been told to|pushed to|"
        r"asked to|need to|leaning towards|looking (?:at|into)|evaluating|suggested)\W+"
        r"(?:\w+\W+){0,3}(?:fine[- ]?tun\w*|train\w* (?:our|my|a|an|the) (?:own )?(?:model|ai|"
        r"llm)|retrain\w*)",
        r"(?:fine[- ]?tun\w*|train\w* (?:our|my|a) own (?:model|ai|llm))\?",
        check_negation=False,
    ),
    cue(
        "considered_approach",
        "rag",
        r"(?:thinking (?:about|of)|considering|planning (?:to|on)|going to|want to|"
        r"wondering (?:if|whether)|should (?:we|i)|suggested|proposed|leaning towards)\W+"
        r"(?:\w+\W+){0,5}(?:rag|retrieval|vector (?:database|db|store|search)|embeddings?)",
        check_negation=False,
    ),
    cue(
        "complaint",
        "hallucination",
        r"hallucinat\w*|mak(?:e|es|ing) (?:[\w']+ )?(?:things|stuff|facts|it|details|features|"
        r"answers|numbers|names|policies|citations|sources|quotes|figures|prices|dates) up|"
        r"mak(?:e|es|ing) up|made[- ]up|invent(?:s|ed|ing)|fabricat\w+|"
        r"confabulat\w+|confidently (?:wrong|incorrect|makes|states|answers)|"
        r"sounds? right but (?:isn't|aren't|is wrong|are wrong|is not)|answers that sound right|"
        r"factually (?:wrong|incorrect)|inaccurate (?:facts|answers|information|details)|"
        r"wrong (?:answers|facts|information|details|info) about|ungrounded|not grounded|"
        r"plausible[- ]sounding",
        check_negation=False,
        unless=r"\b(doesn't|does not|rarely|never|hasn't|didn't|did not) hallucinat|"
        r"\b(no|zero|without|must not|mustn't|can't|cannot|should not|shouldn't|never|avoid|"
        r"minimi[sz]e|prevent|reduce|zero tolerance for) (?:[\w-]+ ){0,2}hallucinat|"
        r"hallucinat\w*(?: [\w-]+){0,2} (?:is|are|would be) (?:not acceptable|unacceptable|a "
        r"deal[- ]?breaker|not an option|not allowed|not tolerated)",
    ),
    cue(
        "complaint",
        "stale_facts",
        r"out[- ]of[- ]date|outdated|stale|obsolete|old (?:information|info|answers|data|prices|"
        r"docs|version|policies)|(?:doesn't|does not|didn't|don't) know about (?:our |the |any )?"
        r"(?:new|latest|recent)|knowledge cut-?off|training cut-?off|last (?:month|year|quarter|"
        r"week)'s (?:[\w']+ )?(?:api|docs|prices|parameters|policies|version|features|info)|"
        r"quoting last|behind (?:the|our) (?:docs|product)|(?:old|older|previous|outdated|"
        r"deprecated|past) (?:versions?|releases?|pricing|prices|policies|features)",
        check_negation=False,
    ),
    cue(
        "complaint",
        "retrieval_quality",
        r"retriev\w+ (?:the )?(?:wrong|irrelevant|bad|poor|unrelated)|(?:wrong|irrelevant|bad|"
        r"unrelated) (?:chunks|passages|documents|results|context)|retrieval (?:quality )?(?:is )?"
        r"(?:poor|bad|weak|terrible|the problem|the bottleneck)|search (?:returns|finds|brings "
        r"back) (?:the )?wrong|chunking|poor recall|misses the right (?:document|passage|chunk)|"
        r"can't find the right (?:document|passage|chunk)",
        check_negation=False,
    ),
    cue(
        "complaint",
        "format",
        r"breaks? (?:[\w']+ ){0,2}(?:json|schema|format|formatting|parser|contract|structure|template)|"
        r"malformed|invalid json|wrong (?:format|field names|keys|fields|structure)|"
        r"(?:doesn't|does not|don't|won't|fails? to) (?:reliably |consistently |always )?follow "
        r"(?:the |our )?(?:schema|format|template|structure|conventions)|missing fields|"
        r"parse errors?|parser (?:chokes|breaks|fails)|chokes|formats? (?:[\w']+ )?(?:wrong|"
        r"inconsistently|incorrectly)|(?:random|inconsistent|different|varying|all sorts of) "
        r"formats?|formats? (?:vary|varies|differ\w*)|inconsistent(?:ly)? format\w*|format\w* (?:is |are )?"
        r"inconsistent|different field names|gets? the (?:format|conventions|structure|schema) "
        r"wrong|schema violations?",
        check_negation=False,
    ),
    cue(
        "complaint",
        "tone",
        r"sound(?:s|ing)? (?:too )?(?:robotic|generic|bland|off|stiff|clinical|cold|corporate|"
        r"formal|informal|casual|dry|boring|flat|wooden|salesy|pushy|preachy|childish|"
        r"condescending|rude|harsh|awkward|unnatural|mechanical|fake|like a (?:generic )?(?:ai|"
        r"robot|bot|machine))|"
        r"reads? like a (?:generic )?(?:ai|robot|bot|machine)|off[- ]brand|drifts? (?:from|out of) "
        r"(?:the |our |its )?(?:style|voice|tone|persona|character)|breaks? (?:[\w']+ )?"
        r"(?:persona|character)|persona breaks|drifts? (?:into|off|away)|(?:tone|voice) is off|"
        r"wrong tone|too (?:formal|casual|stiff|salesy|robotic|generic)|"
        r"(?:doesn't|does not|don't) sound like (?:us|our)|reads? as bland|bland|"
        r"generic (?:marketing|ai|corporate)|slipping out of|slips out of|"
        r"loses? (?:the |its )?(?:voice|persona|character|tone)",
        check_negation=False,
    ),
    cue(
        "complaint",
        "off_topic",
        r"goes off[- ]topic|(?:refuses|refusals?) (?:[\w']+ )?inconsistent\w*|answers off[- ]limits|"
        r"sometimes (?:it )?answers|(?:doesn't|does not|don't) (?:reliably )?(?:follow|stick to) "
        r"(?:the |our )?(?:script|process|steps|procedure)|inconsistent behaviou?r",
        check_negation=False,
    ),
    cue(
        "complaint",
        "latency",
        r"too slow|slow (?:responses|answers)|sluggish|takes (?:too long|forever)|"
        r"latency (?:is|was) (?:too )?(?:high|bad|a problem|an issue|killing)|high latency|laggy|"
        r"takes? (?:[\w']+ )?(?:\d+|several|a few|many|multiple) seconds",
        check_negation=False,
    ),
    cue(
        "complaint",
        "cost",
        r"too expensive|costs? (?:us )?(?:a fortune|too much|a lot)|expensive|pricey|costly|"
        r"(?:bill|costs?|spend) (?:is|are) (?:killing|too high|huge|exploding|a problem)|"
        r"token (?:costs?|bills?)|we pay for (?:it|them|that)|paying for (?:[\w']+ ){0,4}tokens|"
        r"burn(?:ing)? (?:money|cash)|love to get rid of|costs? (?:us )?(?:about |around |over |~)?"
        r"\$\s?\d[\d,.]*[km]?",
        check_negation=False,
    ),
    cue(
        "complaint",
        "arithmetic",
        r"gets? the (?:arithmetic|math|maths|numbers|totals?|sums?|calculations?) wrong|"
        r"(?:arithmetic|math|maths|calculations?|totals?|sums?) (?:is |are )?(?:wrong|off|"
        r"incorrect)|wrong (?:numbers|totals|sums|math|arithmetic)",
        check_negation=False,
    ),
)

ALL_CUES: tuple[Cue, ...] = (
    TOOL_CUES + KNOWLEDGE_CUES + BEHAVIOUR_CUES + DEPLOYMENT_CUES + HISTORY_CUES
)
