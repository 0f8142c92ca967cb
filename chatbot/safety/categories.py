"""The urgent categories (the tags of `EVAL_FORMAT.md`) and the lexical safety net.

The safety net holds only the clearest signals, the words that mean danger in any sentence;
everything else is the fitted model's job (`detector.py`), so unseen phrasings are judged by
meaning, not by a list.
"""

from __future__ import annotations

import re

# Ordered by how soon help is needed: the reply lists contacts in this order.
CATEGORIES: tuple[str, ...] = (
    "crime_in_progress",
    "medical_emergency",
    "suicide_self_harm",
    "domestic_abuse",
    "danger_to_life",
    "child_at_risk",
    "adult_at_risk",
    "homeless_tonight",
)

LABELS: dict[str, str] = {
    "crime_in_progress": "crime happening now",
    "medical_emergency": "medical emergency",
    "suicide_self_harm": "suicide or self-harm",
    "domestic_abuse": "domestic abuse",
    "danger_to_life": "danger in the home",
    "child_at_risk": "child at risk",
    "adult_at_risk": "adult at risk",
    "homeless_tonight": "nowhere to stay tonight",
}


def _compile(*patterns: str) -> list[re.Pattern[str]]:
    return [re.compile(p) for p in patterns]


# the writer, in the first person, will not be ...: "i wont be", "i'm not going to be"
_I_WONT_BE = (
    r"\bi\s*(?:['’]?m|\s+am)?\s+(?:not|n['’]?t|wont|won['’]t|will\s+not)\s+"
    r"(?:going\s+to\s+|gonna\s+)?"
)
# ... around or here from some time on, or with nothing after it
_NOT_AROUND_FROM_NOW = (
    r"be\s+(?:around|here)(?:\s+(?:for|to\s+see)\s+(?:it|them|that))?\s*(?:(?:after|past|beyond|"
    r"from)\s+(?:this|next|the|tonight|today|tomorrow|christmas|(?:mon|tues|wednes|thurs|fri|"
    r"satur|sun)day)\b|[.,!]|$)"
)
_AFFAIRS_IN_ORDER = (
    r"\b(?:(?:left|written|wrote)\s+(?:a\s+)?(?:note|letters?)\s+for\s+(?:my|the\s+kids|everyone|"
    r"the\s+family|them)\b|goodbye|made\s+(?:my\s+)?peace|(?:the|my)\s+(?:dog|cat|pets?)\s+"
    r"(?:is|are)\s+going\s+to|giving\s+away|given\s+away|sorted\s+(?:everything|it\s+all|"
    r"my\s+affairs))"
)
_ABSENCE_EXPLAINED = r"\b(?:moving|move|moved|holiday|abroad|hospital|operation|away\s+for)\b"

SAFETY_NET: dict[str, list[re.Pattern[str]]] = {
    "suicide_self_harm": _compile(
        r"\bsuicid\w*",
        r"\bkill(ing)? my ?self\b",
        r"\b(end|ending|take|taking) my (own )?life\b",
        r"\bwant(ed)? to die\b",
        r"\bself[- ]?harm\w*",
        r"\bhang(ing)? my ?self\b",
        r"\bnoose\b",
        # the writer says they will not be alive for long, however ordinary the request around
        # it ("put the council tax in my son's name, i am not going to be around much longer");
        # first person only: "my dad won't be around much longer" is no signal about the writer
        _I_WONT_BE + r"be\s+(?:around|here|alive)\s+(?:for\s+)?(?:much\s+longer|any\s*more)\b",
        # ... or will not be alive at all, whatever follows ("please rebook the inspection, i
        # wont be alive for the one on tuesday": urgent-probe9, missed by the model)
        _I_WONT_BE + r"(?:still\s+)?be\s+alive\b",
        # ... or will not be around from some time on (not "when the engineer comes"), beside
        # affairs put in order (a note or letters left for family, a pet going to someone, a
        # peace made: urgent-probe5, 6 and 8 each missed one), unless a move, a holiday or a
        # hospital stay explains the absence
        rf"(?s)^(?=.*{_I_WONT_BE}{_NOT_AROUND_FROM_NOW})(?=.*{_AFFAIRS_IN_ORDER})"
        rf"(?!.*{_ABSENCE_EXPLAINED})",
        # Welsh: the detector is trained on English, so the clearest Welsh words are here
        r"\bhunanladd\w*",
        r"\b(lladd|niweidio|brifo) fy hun\b",
        # not wanting to live, wanting to die, ending one's life
        r"\b(ddim|dim) (eisiau|isio|moyn|mo[ey]n) byw\b",
        r"\b(eisiau|isio|moyn|mo[ey]n) marw\b",
        r"\b(rhoi diwedd ar|diweddu) fy (mywyd|hun)\b",
    ),
    "medical_emergency": _compile(
        r"\boverdos\w*",
        r"\b(not|stopped|isn.?t|is not|wasn.?t) breathing\b",
        r"\bunconscious\b",
        # someone faints again and again, or has just collapsed: a person, not a business
        r"\b(keeps?|kept|keep on|started|been) (passing out|fainting|blacking out|collapsing)\b",
        r"\b(i|he|she|they|someone|somebody|(my|our|the) (mum|mam|mother|dad|father|son|"
        r"daughter|wife|husband|partner|nan|nana|gran|granny|grandma|grandad|grandpa|baby|"
        r"child|kid|brother|sister|friend|neighbour|flatmate|carer|lodger|tenant|man|woman|lady|"
        r"boy|girl))(['’]s| has| have)? (just )?(collapsed|passed out|blacked out)\b",
        # has taken too many of their tablets, in the words of someone who did not say
        # "overdose" ("i've taken more of my tablets than i should have", "took a whole box of
        # paracetamol"); not taking them back to the chemist
        r"\b(taken|took|swallowed|had)\b.{0,30}\b(tablets|pills|meds|medication|medicine|"
        r"paracetamol|painkillers)\b.{0,20}\bthan (i|i['’]?m|he|she|they|you|we)\b.{0,12}"
        r"\b(should|meant|supposed|allowed)",
        r"\b(taken|took|swallowed|necked)\s+(all|too many|a load of|loads of|a (whole )?"
        r"(box|packet|bottle|strip|handful|bunch) of|the (whole )?(box|packet|bottle|lot) of|"
        r"a lot of|double|extra|all of) ?(my|her|his|their|the|them)? ?(tablets|pills|meds|"
        r"medication|paracetamol|painkillers|sleeping (pills|tablets))\b"
        r"(?! (to|back|in|into|with me)\b)",
        # at home with no heating and numb with cold ("no heating for 9 days and I can't feel
        # my hands"): a figure of speech at a bus stop, but not where the heating is off
        r"\b(no heating|without heating|no heat|heating (?:is|has been|'s been) (?:off|broken))\b"
        r"[^.!?]{0,80}?\bcan(?:'|’|no)?t feel my (hands|feet|fingers|toes|legs)\b",
        r"\bgorddos\w*",
        r"\b(ddim|dim) yn anadlu\b",
        r"\banymwybodol\b",
        # has taken all (or a load of) the tablets; will not wake; a heart attack or a stroke
        r"\bwedi (cymryd|llyncu) (yr holl|y cyfan o'?r|y cwbl o'?r|llwyth o|llond llaw o|gormod o)"
        r" ?(d|t)?(abledi|abled|pils|pilsen|foddion|moddion)\b",
        r"\b(ddim|dim) yn deffro\b",
        # a person (a baby, a relative) who is not moving, at the end of a clause: "mae'r babi
        # yn las a ddim yn symud"; not moving house or school ("ddim yn symud tŷ")
        r"\b(babi|baban|plentyn|mab|merch|mam|mham|nhad|tad|nain|taid|mam-gu|tad-cu|ngŵr|gŵr|"
        r"ngwraig|gwraig|brawd|chwaer|ffrind)\b[^.!?]{0,40}?\b(ddim|dim) yn symud"
        r"(?:\s+(?:o gwbl|nawr|rŵan|bellach))?\s*(?:[.,!?]|$|\bac\b|\ba\b)",
        r"\bmethu (deffro|anadlu)\b",
        r"\b(t|d|nh)rawiad ar y galon\b",
        # someone has fallen and cannot get up ("mae fy mam wedi cwympo ac yn methu codi")
        r"\bwedi\s+(?:cwympo|cwmpo|syrthio|disgyn)\b.{0,60}?\b(?:methu|ddim\s+yn\s+gallu)\s+"
        r"(?:codi|symud)\b(?!['’])",
    ),
    "danger_to_life": _compile(
        r"\b(smell(s|ing)?|smelt|smelled) (of )?gas\b",
        # not a rehearsal ("the school had a gas leak drill today")
        r"\bgas leak\w*\b(?!\s+(?:drill|exercise|practice|rehearsal|simulation|training)s?\b)",
        r"\bleaking gas\b",
        r"\b(carbon monoxide|co) (alarm|detector)\w* (is |are |keeps )?"
        r"(going off|sounding|beeping|bleeping)",
        r"\b(house|flat|home|building|kitchen|block) (is )?on fire\b",
        r"\barogl(i|a)? nwy\b",
        # the house, flat, kitchen or building is on fire ("mae'r tŷ ar dân")
        r"\b(t[ŷy]|fflat|adeilad|[cg]egin|bloc|llofft)\b[^.!?]{0,20}?\bar d[âa]n\b",
        r"\bnwy yn gollwng\b",
    ),
    "domestic_abuse": _compile(
        r"\bthreaten\w* to kill\b",
        # a partner who "put me in hospital", said beside an everyday request (0.12)
        r"\b(he|she|my (?:partner|ex|husband|wife|boyfriend|girlfriend))\b[^.!?]{0,60}?\b(?:put|"
        r"landed|sent) me in(?:to)? (?:the )?(?:hospital|a&e|a and e|intensive care)\b",
        # a partner (or he/she) who broke a bone of the writer's, however typed ("my boyfrend
        # broke my nose", beside a bin-day question: the model listed suicide and medical only)
        r"\b(?:he|she|they|partner|boyfriend|boyfrend|bf|girlfriend|gf|husband|hubby|wife|ex|"
        r"stepdad|son|brother)\s+(?:has\s+|had\s+|just\s+)?(?:broke|broken|fractured|cracked)\s+"
        r"(?:my|two of my|one of my)\s+(?:nose|jaw|arm|ribs?|wrist|fingers?|hand|leg|cheek ?bone|"
        r"eye socket|collar ?bone|tooth|teeth)\b",
        r"\bstrangl\w*",
        r"\bbygwth (fy |ein )?lladd\b",
        # hitting, beating, abusing or locking in the writer ("mae fy ngŵr yn fy nharo i",
        # "mae'n fy nghloi i yn y llofft", "yn cloi fi yn y tŷ")
        r"(\byn|['’]n) (fy (nharo|mwrw|nghuro|ngham-?drin|nghicio|nghloi)|cloi (fi|ni))\b",
    ),
    "child_at_risk": _compile(
        # Welsh: a man following the writer's child ("mae dyn yn dilyn fy merch adref")
        r"\b(dyn|rhywun|rhyw ddyn)\b[^.!?]{0,30}?\bdilyn fy (merch|mab|mhlentyn|mhlant|plentyn|"
        r"plant)\b",
    ),
    # Welsh only: the English model reads these fine, the Welsh words it has never seen
    "crime_in_progress": _compile(
        r"\b(c|g|ch|ngh)yllell\b",
        # breaking in now ("yn trio torri mewn"), not a past break-in ("wedi torri mewn")
        r"\byn (trio |treio |ceisio )?torri (i )?mewn\b",
    ),
    "homeless_tonight": _compile(
        r"\b(unman|nunlle|nunman|unlle|dim lle)\s+i\s+(gysgu|aros|fynd)\s+heno\b",
    ),
}
