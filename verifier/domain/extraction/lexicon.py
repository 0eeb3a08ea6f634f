"""Words that signal attribution: reporting verbs, their forms, and the words around them.

The verb list follows the attribution cues of PARC/PolNeAR (speech, writing, cognition and
evaluation verbs); a form is listed when, in PolNeAR's *train* split, it is an annotated cue
most of the times it appears (forms like "thought", "know", "want" are left out: they cue an
attribution less than a quarter of the time).
"""

from __future__ import annotations

import re


def _forms(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


# Verbs that report speech and can also follow their source after a quote ("..., said Smith").
SPEECH = _forms("""
    say says said saying tell tells told telling add adds added adding note notes noted noting
    write writes wrote writing tweet tweets tweeted tweeting explain explains explained explaining
    argue argues argued arguing claim claimed claiming report reported announce announces
    announced announcing suggest suggested suggesting acknowledge acknowledges acknowledged
    acknowledging declare declares declared declaring warn warns warned warning insist insists
    insisted insisting predict predicted predicting confirm confirmed confirms deny denies denied
    denying admit admits admitted stated stating reply replies replied respond responds responded
    recall recalls recalled recalling conclude concludes concluded assert asserts asserted
    contend contends contended stressed emphasized emphasizing observed remarked joked quipped
    concede conceded boasted complained lamented allege alleges alleged alleging testified
    continued reiterated echoed cited citing quoted mentioned mentions speculated promise promises
    promised promising vow vows vowed vowing pledged urge urges urged urging hinted implied
    indicated signaled cautioned shouted wondered asked asks asking answered emailed posted
    retweeted wrote recounted explains revealed reveals disclosed referring
""")

# Thoughts and evaluations: their content follows them; the source precedes them.
MENTAL = _forms("""
    believe believes hopes hoped hoping worried worries predicted expects
    call calls called calling describe describes described describing criticized criticizing
    criticizes accuse accuses accused accusing praised praises praising defended defending rejected
    rejecting endorsed endorses endorsing mocked mocking blasted blasts blasting slammed slams
    slamming attacked blamed blames blaming denounced denouncing dismissed dismisses dismissing
    decried condemned questioned railed touted touting thanked declined refused agreed proposed
    supported offered expressed showed shows finds suggests thinks
""")

CUES = SPEECH | MENTAL

# Verbs that become cues only with a complement clause: "a poll found that ...".
THAT_VERBS = _forms("found show learned realized knew know think thought feel felt fear fears feared want wants")

# Preposition phrases that introduce a source before or after the content.
SOURCE_PHRASES = (
    ("based", "on", "reports", "from"), ("based", "on", "reports", "by"), ("according", "to"),
    ("as", "reported", "by"), ("citing",), ("quoting",),
)

# Words between a source and its verb: "Smith has also said".
AUXILIARIES = _forms("""
    has have had also later recently previously repeatedly publicly once then would will could
    may might did does do not never often already quickly privately long still even initially
    first reportedly frequently again similarly specifically explicitly openly has've 's n't
    is was were are be been being just further now again earlier flatly bluntly simply
""")

# Words that end a source noun phrase on its left.
LEFT_STOPS = _forms("""
    that and but or nor because when while if as after before since although though so than then
    where whether why how what whom in on at to with from by about into during over under against
    without between through across upon after until unless whereas whose is was are were be been
    has have had do does did not no this these those it its there here also yet still even
""")

PRONOUNS = _forms("he she they it i we you who which")
PERSON_PRONOUNS = _forms("he she i we you")

# Kind words a report puts after a name: the "Eyn Alfurat" network, the Orient website.
KINDS = {
    "network": "network", "networks": "network", "website": "website", "site": "website",
    "portal": "website", "blog": "website", "channel": "channel", "agency": "agency",
    "newspaper": "newspaper", "daily": "newspaper", "outlet": "outlet", "magazine": "newspaper",
    "radio": "outlet", "television": "outlet", "tv": "outlet", "organisation": "organisation",
    "organization": "organisation", "center": "organisation", "centre": "organisation",
    "observatory": "organisation", "group": "organisation", "committee": "organisation",
    "institute": "organisation", "ministry": "official", "government": "official",
    "spokesman": "official", "spokeswoman": "official", "spokesperson": "official",
    "official": "official", "officials": "official", "account": "social", "page": "social",
}

# What makes a carried-over attribution stop: the report speaking for itself.
OWN_VOICE = (
    "it is evident", "it is clear", "in our assessment", "our assessment", "we assess",
    "in our view", "we believe", "we estimate", "in addition, it is", "it appears",
    "it seems", "in conclusion",
)

# How a sentence in the report's own voice opens ("It is evident that ...", "The trend indicates ..."):
# what follows is the report's, and a verb inside the frame is not a cue.
OWN_VOICE_FRAME = re.compile(
    r"^(?:in addition,?\s+|moreover,?\s+|however,?\s+)?(?:it is (?:evident|clear|apparent)|our assessment is|"
    r"we assess|in our (?:view|assessment),?|the trend indicates)\s*(?:that\s+)?", re.I)

# A sentence that opens with one of these points back to the sentence before (cohesion).
ANAPHORIC_OPENERS = _forms("this these that those such implementing thus accordingly therefore moreover furthermore")

# Participles of the cues: ", calling ..." / "..., adding that ..." open an attribution of their own.
PARTICIPLES = frozenset(w for w in CUES if w.endswith("ing"))

# Relaying verbs: "sources quoted by the X website" is a relay inside a source, not a cue.
RELAYS = frozenset("quoted cited reported relayed carried".split())
