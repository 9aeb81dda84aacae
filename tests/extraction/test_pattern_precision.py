"""Pattern reads that were wrong on messages the patterns were not written from (the audit in
docs/decisions.md): a stated "not regulated", an isolated network, a format the input comes
in, "often" that is not about the knowledge changing, a working prompt whose problem is cost,
"we tried prompting" read as "not enough" only when no outcome is said, the model's own API,
"currently" outside a question, a weather field on a form, and "distributed computing"."""

from __future__ import annotations

import pytest

from advisor.extraction import extract_situation
from advisor.extraction.offline import pattern_situation
from advisor.extraction.patterns import pattern_facts


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        # regulated: an explicit negative beats the domain words, which ignore negation
        ("We sell garden furniture; nothing in this flow is regulated.", "regulated", False),
        ("We're an insurer, but this internal tool is not regulated.", "regulated", False),
        ("No compliance requirements apply to the marketing copy.", "regulated", False),
        ("Our bank can't send account data to a hosted model.", "regulated", True),
        # deployment: a network without internet is isolated; a device without signal is a device
        ("It runs inside the plant's OT network, which has no internet access at all.",
         "deployment", "air_gapped"),
        ("The whole review environment is air-gapped, no internet.", "deployment", "air_gapped"),
        ("Drivers use it on a handheld in the cab where there is no signal.",
         "deployment", "on_device"),
        # output format: the input's format is not the output's
        ("Agents type free-text notes after each call and we want them tagged.",
         "output_format_strictness", None),
        ("Every summary must follow our fixed four-section template for the weekly review.",
         "output_format_strictness", "structured"),
        ("The answer has to be valid JSON that our billing service parses.",
         "output_format_strictness", "strict"),
        # change frequency: "often" next to a change verb, not anywhere near a noun
        ("The tariff tables are updated often.", "knowledge_change_frequency", "weekly"),
        ("It often gets the totals wrong on long invoices.", "knowledge_change_frequency", None),
        ("The handbook doesn't change often.", "knowledge_change_frequency", "rarely"),
        # live data: the model's own API is no tool, the team's or a named one is
        ("We call a hosted LLM through an API and paste the ticket in.", "needs_live_data", None),
        ("Right now we send every email to Claude via its API.", "needs_live_data", None),
        ("The assistant looks the parcel up via the carrier API.", "needs_live_data", True),
        ("Agents would check stock through our API before answering.", "needs_live_data", True),
        # a live system with a qualifier is still live; live chat is a support channel
        ("The evidence sits in the live monitoring systems during the outage.",
         "needs_live_data", True),
        ("We also offer live chat support on the website.", "needs_live_data", None),
        # "currently / at the moment" describe today's process unless a question asks it
        ("Invoices are currently keyed in by two clerks.", "needs_live_data", None),
        ("Routing is done with keyword rules at the moment.", "needs_live_data", None),
        ("Guests want to know which spa slots are free right now.", "needs_live_data", True),
        ("The app must tell riders where their bus is right now.", "needs_live_data", True),
        ("Is the charging bay free at the moment?", "needs_live_data", True),
        # weather: a field a form carries is not a forecast to fetch
        ("Each inspection record lists the crew, weather and hours on site.",
         "needs_live_data", None),
        ("Hikers ask what the weather will do on the ridge this afternoon.",
         "needs_live_data", True),
        # computing as a field of engineering is no computation need
        ("We build a cloud computing platform and want a docs assistant.",
         "needs_exact_computation", None),
        ("It must compute each claim's payout to the cent.", "needs_exact_computation", True),
        # complaints in the words case studies use; a rule against inventing is no complaint
        ("Our current model makes confident mistakes on dosage questions.",
         "complaint", "hallucination"),
        ("Untuned models invent case citations.", "complaint", "hallucination"),
        ("It gives inaccurate tax advice now and then.", "complaint", "hallucination"),
        ("Replies must never invent prices.", "complaint", None),
        ("At our volume the bill is painful.", "complaint", "cost"),
        ("The per-call price is prohibitive at ten million calls.", "complaint", "cost"),
        ("We need to cut the cost per message.", "complaint", "cost"),
        # a corpus counted in reports or guidelines is large; annotated examples are no corpus
        ("Inspectors have filed about 40,000 reports since 2009, and staff search them daily.",
         "knowledge_size", "large"),
        ("Answers must come from our 600 safety guidelines.", "knowledge_size", "large"),
        ("Reviewers annotated about 3,500 records as handled correctly.",
         "knowledge_size", None),
        ("We keep about 3,500 records of past claims to search.", "knowledge_size", "large"),
        # a count of examples something needs is not a count the team has
        ("Vendor classifiers need thousands of labelled calls per site; we have no labelled calls.",
         "labeled_examples", 0),
        ("Training would require at least 1,000 pairs, and we have 250 pairs.",
         "labeled_examples", 250),
        ("We have 4,000 labelled invoices from last year.", "labeled_examples", 4000),
        # records paired with their outputs, or outputs people wrote or checked, are examples
        ("We kept 3,200 intake forms, each paired with the triage note a nurse wrote.",
         "labeled_examples", 3200),
        ("There are 8,500 repair tickets with their final resolution codes.",
         "labeled_examples", 8500),
        ("Our team logged 12,000 before/after address corrections.", "labeled_examples", 12000),
        ("We hold 4,400 menus our chefs wrote and corrected.", "labeled_examples", 4400),
        ("It maps requests to about ten functions with the right arguments.",
         "labeled_examples", None),
        ("We ship 40,000 parcels a day with the original label.", "labeled_examples", None),
        ("We have 500 pages that legal reviewed.", "labeled_examples", None),
        ("We have 80k analyst-labelled mappings from last year.", "labeled_examples", 80000),
        ("There are 400k bookkeeper-corrected assignments.", "labeled_examples", 400000),
        # ... and not a corpus to search
        ("We hold 9,000 inspection reports our surveyors wrote and corrected.",
         "knowledge_size", None),
        # items kept to evaluate or train on, or carrying ground truth, are examples, no corpus
        ("We kept 2,000 support tickets as a test set for the new prompt.",
         "labeled_examples", 2000),
        ("There are 500 contracts with lawyer-checked ground truth.", "labeled_examples", 500),
        ("There are 500 contracts with lawyer-checked ground truth.", "knowledge_size", None),
        ("Our editors coded 700 reports we can use for evaluation.", "knowledge_size", None),
        ("Answers must come from our 3,000 archived reports.", "knowledge_size", "large"),
        # a rate per second written with a slash
        ("Peak load is ~300 alerts/s.", "requests_per_day", 300 * 86_400),
        ("About 20 req/s at peak.", "requests_per_day", 20 * 86_400),
        ("It costs 2 dollars/h to run.", "requests_per_day", None),
        # a knowledge source said to be unneeded
        ("The call transcript is the only input; there is no knowledge base behind it.",
         "needs_private_knowledge", False),
        ("Product details arrive in the request, no extra knowledge needed.",
         "needs_private_knowledge", False),
        ("The answer is all in the email, so nothing to look up.", "needs_private_knowledge", False),
        ("The shipment details are in the request itself; the facts come with each request.",
         "needs_private_knowledge", False),
        ("Everything the model needs is in the form the customer fills in.",
         "needs_private_knowledge", False),
        ("It doesn't have to look anything up, the notes hold every fact.",
         "needs_private_knowledge", False),
        ("It doesn't have to look anything up live, but it must know our 300 policies.",
         "needs_private_knowledge", True),
        # general knowledge, hyphenated too, is no private knowledge; a "general knowledge base"
        # is a corpus all the same
        ("Riders ask general-knowledge questions about anything.", "needs_private_knowledge",
         False),
        ("Staff ask questions that our general knowledge base answers.",
         "needs_private_knowledge", True),
        # data named as what a model trains on is examples, not a source to answer from ...
        ("We have no curated training corpus for this.", "needs_private_knowledge", None),
        ("The best results come from specialist models trained on legal data.",
         "needs_private_knowledge", None),
        ("We have no corpus of sales calls to train on.", "needs_private_knowledge", None),
        # ... while staff training material and a corpus to answer from are sources
        ("New hires ask questions answered in our training manuals.",
         "needs_private_knowledge", True),
        ("The bot answers from our corpus of 5,000 articles.", "needs_private_knowledge", True),
        ("We want to use our product manuals to fine-tune the model so it answers support "
         "questions.", "needs_private_knowledge", True),
        ("Staff search the documents used to train new agents.", "needs_private_knowledge",
         True),
        # incoming items are the task's input, not a source to answer from
        ("It fills a strict JSON schema from incoming supplier emails.",
         "needs_private_knowledge", None),
        ("We have not collected any training examples yet.", "labeled_examples", 0),
        # a token count of prompts is instructions, one of a capacity is no knowledge at all
        ("Our prompts are about 300 tokens.", "instruction_tokens", 300),
        ("Our prompts are about 300 tokens.", "knowledge_size", None),
        ("Models now have 1M token context windows.", "knowledge_tokens", None),
        ("The hardware limits useful prompts to a few hundred tokens.", "knowledge_size", None),
        ("The whole handbook is about 20k tokens.", "knowledge_size", "fits_in_prompt"),
        ("Our policy handbook is about 200k tokens, far beyond the context window.",
         "knowledge_size", "large"),
        ("Our product catalogue is at most 8k tokens.", "knowledge_size", "fits_in_prompt"),
        ("Does RAG still make sense once context windows hit 1M tokens?", "knowledge_tokens",
         None),
        # a negated verb of compliance with a given requirement: the model misses it, it exists
        ("The model doesn't reliably hit our strict format rules.", "output_format_strictness",
         "strict"),
        ("The assistant does not stay on topic.", "needs_consistent_behaviour", True),
        ("It just doesn't follow our escalation process.", "needs_consistent_behaviour", True),
        # ... while a requirement said not to exist stays negated
        ("It doesn't need to follow a strict format.", "output_format_strictness", "free"),
        ("The bot does not need to stay on topic.", "needs_consistent_behaviour", False),
        ("It doesn't follow any particular script.", "needs_consistent_behaviour", False),
        ("Replies need not follow our strict template.", "output_format_strictness", "free"),
        ("External emails should not follow our internal template.",
         "output_format_strictness", "free"),
        ("It doesn't always follow our support process.", "needs_consistent_behaviour", True),
        # "can't" is a miss like "doesn't", not a denial that the requirement exists
        ("The model can't follow our template for the claim summary.",
         "output_format_strictness", "structured"),
        ("Our support bot cannot stay on topic after a few turns.", "needs_consistent_behaviour",
         True),
        # how real teams say a plain model fell short: mistakes, fabrication, shallow, weaker,
        # less good than needed, unpredictable
        ("A plain GPT-4 makes basic mistakes on our forms.", "prompting_outcome", "fails"),
        ("When we asked Claude for references it fabricated half of them.", "prompting_outcome",
         "fails"),
        ("Out of the box the model gets the category wrong half the time.", "prompting_outcome",
         "fails"),
        ("A general LLM's grasp of our pricing rules is far too shallow.", "prompting_outcome",
         "fails"),
        ("Open models are clearly weaker at legal drafting than GPT-4.", "prompting_outcome",
         "fails"),
        ("Our system prompt behaves unpredictably from one day to the next.",
         "prompting_outcome", "inconsistent"),
        ("Prompting gave summaries that were less accurate than we need.", "prompting_outcome",
         "inconsistent"),
        # operating programs and devices is acting, not only transactions
        ("The robot arm can be controlled through a Python control library.", "needs_actions",
         True),
        ("The assistant should run the simulation software and report the result.",
         "needs_actions", True),
        ("It must call our booking endpoints with the right arguments.", "needs_actions", True),
        # ... while the status quo or a model's host is no action of the assistant's
        ("Today engineers run optimisation software by hand.", "needs_actions", None),
        ("Each call to the model API costs us money.", "needs_actions", None),
        ("Today our engineers have to run the optimisation software by hand.", "needs_actions",
         None),
        ("Developers ask it how to call our APIs correctly.", "needs_actions", None),
        ("It should generate code to call the payments API.", "needs_actions", None),
        ("Users can control the output with commands like /short.", "needs_actions", None),
        ("The LLM calls tools like search.", "needs_actions", True),
        ("We want the assistant to run code in a sandbox.", "needs_actions", True),
        # a large training corpus is examples, items counted per year a flow to process
        ("We have good examples, not a large training corpus.", "knowledge_size", None),
        ("The desk receives millions of emails a year from brokers.", "knowledge_size", None),
        ("We add thousands of documents every month to the archive.", "knowledge_size",
         "large"),
        ("Agents search thousands of contracts in our archive.", "knowledge_size", "large"),
        # cost named as a worry or as a target of the serving
        ("Quality is fine, but cost is a real concern at our volume.", "complaint", "cost"),
        ("We need something small with low inference cost.", "complaint", "cost"),
        ("Cost is not a concern for this pilot.", "complaint", None),
        # voice as a channel and characters as a length are no voice or persona to keep
        ("Drivers ask by voice while parked.", "tone_requirement", None),
        ("It summarises voice notes offline.", "tone_requirement", None),
        ("We split documents into 500-character windows.", "tone_requirement", None),
        ("Replies must keep our brand voice.", "tone_requirement", True),
        ("The bot plays a character from our game.", "tone_requirement", True),
        ("The tutor bot must stay in-character for the whole lesson.", "tone_requirement", True),
        ("Replies need an encouraging tutor voice.", "tone_requirement", True),
        ("Calls come in through voice and SMS.", "tone_requirement", None),
        ("We transcribe voice recordings from the call centre.", "tone_requirement", None),
        # routing a ticket to a queue is classifying it
        ("We route incoming support tickets to one of nine queues.", "needs_actions", False),
        # ... and a requirement on the model, a negation or a task on other text is no outcome
        ("GPT-4 must never make mistakes on dosages.", "prompting_outcome", None),
        ("Claude rarely makes mistakes on this task.", "prompting_outcome", None),
        ("GPT-4 makes no mistakes on the forms we tested.", "prompting_outcome", None),
        ("GPT-4 should detect fabricated citations in submitted papers.", "prompting_outcome",
         None),
        ("Out of the box the model still needs a GPU server.", "prompting_outcome", None),
        # an assistant that runs, calls or chains tools, code or simulations acts; people running
        # them, the model running somewhere, and how-to talk do not
        ("We want the assistant to pick the right internal tool for each request and run it.",
         "needs_actions", True),
        ("We are building agents that can call our 40 internal services through one interface.",
         "needs_actions", True),
        ("Have the system fetch the files, download them and run the analysis in a sandbox.",
         "needs_actions", True),
        ("The copilot should chain the pricing calculators for each quote.",
         "needs_actions", True),
        ("Explain how the agent calls the API.", "needs_actions", None),
        ("We download the data from the portal every month.", "needs_actions", None),
        ("Engineers run the scripts and the assistant explains the output.", "needs_actions",
         None),
        ("The model runs on our own GPUs in the basement.", "needs_actions", None),
        ("Our app runs the model locally on each phone.", "needs_actions", None),
        # items the model is to label, classify or code are its input, not a corpus to search
        ("We need about 8,000 customer reviews labelled for sentiment and topic.",
         "knowledge_size", None),
        ("Around 2,000 claims were coded by adjusters and we want GPT-4o to do the rest.",
         "knowledge_size", None),
        ("We classify scanned court rulings that often run to hundreds of pages.",
         "knowledge_size", None),
        ("The test set is 300 contracts from a public benchmark.", "knowledge_size", None),
        ("Staff consult a library of 12,000 classification guides to classify businesses.",
         "knowledge_size", "large"),
        ("Agents answer from 5,000 policy documents that they also use to classify claims.",
         "knowledge_size", "large"),
        ("No labelled data exists and the handbook is 90 pages.", "knowledge_tokens", 54000),
        # the present state of a system, a user's status looked up and records gathered from the
        # systems that hold them are live data; data collected once to train on is not
        ("Answers must reflect the state of the fleet right now.", "needs_live_data", True),
        ("The bot checks the user's VPN status and resets it if needed.", "needs_live_data",
         True),
        ("The agent pulls the account history and risk flags from several internal systems.",
         "needs_live_data", True),
        ("We collected training data from several internal systems last year.",
         "needs_live_data", None),
        ("The model drafts replies that reflect our brand voice.", "needs_live_data", None),
        ("We checked the status of the project with the vendor.", "needs_live_data", None),
        # recalculating, running an analysis in a sandbox, counts of what is running and answers
        # from a database are exact computation
        ("It recalculates the bill against the tariff and explains the difference.",
         "needs_exact_computation", True),
        ("The assistant should run the analysis in a sandbox and return the chart.",
         "needs_exact_computation", True),
        ("We want questions like 'how many jobs are failing' answered from the scheduler.",
         "needs_exact_computation", True),
        ("Questions across all contracts should be answered from the database.",
         "needs_exact_computation", True),
        # documents that change constantly change daily; live things that do are real time
        ("Our runbooks are revised constantly.", "knowledge_change_frequency", "daily"),
        ("Tax rules are complex and updated constantly.", "knowledge_change_frequency", "daily"),
        ("Seat availability changes constantly during the sale.", "knowledge_change_frequency",
         "real_time"),
        ("Machine states change constantly on the line.", "knowledge_change_frequency",
         "real_time"),
        # "live" as a verb says where something sits; "is live" still says it is live
        ("Our approval thresholds live in a wiki.", "needs_live_data", None),
        ("The loyalty balance is live in the points system.", "needs_live_data", True),
        # "billing disputes" are a topic, not an action the assistant takes
        ("Billing disputes and account recovery always go to a human.", "needs_actions", None),
        # gathering records from each source, and checking on a schedule for what is new, is
        # live data; pulling facts from source documents is not
        ("We want something that gathers the data from each source in parallel.",
         "needs_live_data", True),
        ("Every hour it should check each account for new activity.", "needs_live_data", True),
        ("The model pulls quotes from the source documents.", "needs_live_data", None),
        # a page created in the wiki, a link posted back to the thread, and an agent running a
        # tool after a longer first step are actions
        ("Take the thread, create the Confluence page and post the link back in the thread.",
         "needs_actions", True),
        ("Can an LLM look up the part numbers in our catalogue first, then run the stress "
         "simulations for us?", "needs_actions", True),
        # an archive of hand-coded answers is examples; one that answers questions is knowledge
        ("We have an enormous archive of hand-coded answers, over half a million.",
         "knowledge_size", None),
        ("It answers questions from a huge archive of coded case files.", "knowledge_size",
         "large"),
        # "information-rich logs" names no information source; "each one labelled" no example
        ("We curated a bit over 400 information-rich logs with benchmark labels.",
         "needs_private_knowledge", None),
        ("We want each one labelled with the component involved.", "labeled_examples", None),
        # a model's name is no count: "gpt-4 can tag documents" states no four documents
        ("Can gpt-4 tag documents by department?", "knowledge_documents", None),
        # an adversarial pass on the agent, live-data, computation and items-to-label patterns
        # (sentences written for it, docs/decisions.md session 18): systems and people that use
        # tools, people who post, publish or check, and incidental words are no such facts ...
        ("Our support agents use five different tools to look up an order today.",
         "needs_actions", None),
        ("Our legacy systems use SOAP APIs and nobody wants to touch them.", "needs_actions",
         None),
        ("We want the copilot to write code that uses our internal APIs correctly.",
         "needs_actions", None),
        ("The model is fine, the problem is our analysts run badly written queries.",
         "needs_actions", None),
        ("Our SREs run the nightly jobs and want an assistant to explain failures.",
         "needs_actions", None),
        ("Users post questions in our Slack channel and the bot answers from the wiki.",
         "needs_actions", None),
        ("Our tech writers create Confluence pages for each release.", "needs_actions", None),
        ("The replies should match the style our agents use right now.", "needs_live_data",
         None),
        ("Docs should reflect the current state of the API after each release.",
         "needs_live_data", None),
        ("We need the model to get a state-of-the-art accuracy on invoice extraction.",
         "needs_live_data", None),
        ("It should read their employment status from the uploaded pay slip.",
         "needs_live_data", None),
        ("The retriever fetches the relevant passages from multiple sources.",
         "needs_live_data", None),
        ("We pull data from several sources once to build the training set.",
         "needs_live_data", None),
        ("Editors check each article for updates before it is published.", "needs_live_data",
         None),
        ("We run the model in a sandbox environment for testing before rollout.",
         "needs_exact_computation", None),
        ("Answers should come from our vector database, not the model's memory.",
         "needs_exact_computation", None),
        ("Answers come from a database of 300 curated FAQ entries.", "needs_exact_computation",
         None),
        ("Our coding standards document runs to 400 pages.", "knowledge_size", "large"),
        ("The rules are hard-coded across 600 pages of specs.", "knowledge_size", "large"),
        ("We have 20,000 product pages with price tags and descriptions.",
         "knowledge_documents", 20000),
        ("Our archive of 30,000 classified reports sits on an isolated network.",
         "knowledge_size", "large"),
        ("Our screening protocols run to 300 pages.", "knowledge_size", "large"),
        ("We have a test set of 200 questions and a corpus of 5,000 documents.",
         "knowledge_documents", 5000),
        ("The test bed has 50 devices and we have a knowledge base of 3,000 articles.",
         "labeled_examples", None),
        # ... while the assistant doing them still is
        ("The assistant disputes the charge with the merchant on the customer's behalf.",
         "needs_actions", True),
        ("The bot should post a summary back to the Slack thread.", "needs_actions", True),
        ("The sensor telemetry streams constantly from the trucks.",
         "knowledge_change_frequency", "real_time"),
        ("The assistant should run the Python code in a sandbox and plot the result.",
         "needs_exact_computation", True),
        ("We have a test set of 200 questions and a corpus of 5,000 documents.",
         "labeled_examples", 200),
        ("We screen incoming CVs for the role, about 3,000 a month.", "knowledge_size", None),
        # a large collection is a knowledge base where the message names a store of knowledge or
        # consults it; papers to extract from and reports to code are the task's data
        ("We want to pull material properties out of thousands of papers.", "knowledge_size",
         None),
        ("We have roughly half a million reports with about 1.8 million assigned codes.",
         "knowledge_size", None),
        ("We curated a corpus of 200,000 energy texts to teach the model the domain.",
         "knowledge_size", None),
        ("Engineers look up answers in 200,000 pages of maintenance reports.", "knowledge_size",
         "large"),
        ("The assistant answers from half a million reports.", "knowledge_size", "large"),
        ("We have 12,000 Confluence pages.", "knowledge_size", "large"),
        # ... and consulting said without "search" or "answer": finding, hunting through, quoting,
        # replies from, relying on, knowing what the records say
        ("Field engineers hunt through 8,000 service sheets to fix a pump.", "knowledge_size",
         "large"),
        ("Replies to members should come from our 6,000 benefit articles, quoting the clause.",
         "knowledge_size", "large"),
        ("Planners want to know what earlier projects learned, from 20,000 close-out reports.",
         "knowledge_size", "large"),
        ("The desk relies on 3,000 research reports written over ten years.", "knowledge_size",
         "large"),
        # routing items into queues or teams is classifying them: no action for a head to guess
        ("Each of the 30k daily tickets must be routed to one of 12 queues.", "needs_actions",
         False),
        ("The agent routes the ticket to the right team and then closes it in Zendesk.",
         "needs_actions", True),
        # a launch date is no live data; "is live" and a live need stated beside it still are
        ("The routing must be live in 2 weeks.", "needs_live_data", False),
        ("We went live last month with a chat widget.", "needs_live_data", False),
        ("We go live next month; the bot must quote today's prices from the pricing API.",
         "needs_live_data", True),
        # the labelled part of a collection is what there is to train on
        ("We have 10,000 tickets, of which 3,000 are labelled.", "labeled_examples", 3000),
        ("Roughly 1,500 of the claims are coded by adjusters already.", "labeled_examples", 1500),
        ("We keep a spreadsheet in which 4,000 rows are labelled by hand.", "labeled_examples",
         4000),
        ("Our 12 categories are labelled in the CRM.", "labeled_examples", None),
        # write-ups, transcripts, memos, circulars and the like are counted documents too
        ("Engineers dig through 4,000 incident write-ups after every outage.",
         "knowledge_documents", 4000),
        ("Underwriters consult 900 underwriting memos before quoting.", "knowledge_size", "large"),
        ("We have 80,000 call transcripts and want each tagged with an intent.",
         "knowledge_size", None),
        # "nobody" and "no one" negate what follows, like "no" and "not"
        ("Nobody wants the model to execute scripts in production.", "needs_actions", False),
        ("The format is free; nobody parses the output.", "output_format_strictness", "free"),
        ("No one on the team needs citations for this.", "needs_citations", False),
    ],
)
def test_pattern_reads(text: str, field: str, value: object) -> None:
    assert getattr(pattern_situation(text), field) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("We tried prompting and it works.", "works"),
        ("We tried a prompt in March and the replies were good.", "works"),
        # a general model used as it comes already failing is prompting that falls short
        ("Zero-shot prompting of a general model fell short on recall.", "fails"),
        ("Off-the-shelf chat models get our part numbers wrong half the time.", "fails"),
        ("Feeding a claim into an LLM and asking for a decision gave unreliable results.",
         "fails"),
        ("Vanilla GPT-4 hallucinates regulation numbers.", "fails"),
        # a model named as the subject of what went wrong or right
        ("A 13B open model makes up part numbers and handles units poorly.", "fails"),
        ("Prompted models get about 60% of the codes right.", "fails"),
        ("Prompted Claude is hit or miss on the refund rules.", "inconsistent"),
        ("A hosted model does the tagging reasonably well, but each call costs too much.",
         "works"),
        ("We tried prompting and it works, but it drifts on long threads.", "inconsistent"),
        ("Prompting works fine, but the bill is too high at our volume.", "works"),
        ("We've spent weeks tweaking the prompt. What should we do next?", "inconsistent"),
    ],
)
def test_how_prompting_went(text: str, value: str) -> None:
    assert pattern_situation(text).prompting_outcome == value
    assert extract_situation(text).prompting_outcome == value


@pytest.mark.parametrize(
    "text",
    [
        "We tried pasting our manuals into ChatGPT, but we can't paste all of them.",
        "We want a general-purpose model that writes in our voice.",
        "General chat models are good enough for the FAQ part.",
        "We cannot send client data to a hosted model.",
        "Prompting Claude gets 89% accuracy, good enough for a dashboard.",
    ],
)
def test_no_failed_prompting_read_where_none_is_said(text: str) -> None:
    assert pattern_situation(text).prompting_outcome != "fails"


def test_zero_shot_is_no_negation() -> None:
    from advisor.extraction.text import negated

    text = "zero-shot prompting of a general model fell short on recall"
    start = text.index("prompting")
    assert not negated(text, start, start + len("prompting"))
    text = "zero labelled examples"
    assert negated(text, text.index("labelled"), len(text))


def test_an_inference_fills_only_a_gap() -> None:
    stated, inferred = pattern_facts("We tweaked the prompt for weeks.")
    assert "prompting_outcome" not in stated and inferred == {"prompting_outcome": "inconsistent"}
    stated, inferred = pattern_facts("We tweaked the prompt for weeks and it works.")
    assert stated["prompting_outcome"] == "works" and inferred == {}
