"""Each cleaning rule on hand-written cases, one comment per case."""

import pandas as pd
import pytest

from analysis.corpus import events
from analysis.corpus import text as clean
from analysis.corpus.outlets import normalise_outlet
from analysis.corpus.readers import id_text
from analysis.params import LanguageParams


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Al-Fu&#8217;ah", "Al-Fu'ah"),  # HTML entity for a curly apostrophe
        ("&amp;#8220;IS&amp;#8221;", '"IS"'),  # escaped twice
        ("Damascus\u00a0suburb", "Damascus suburb"),  # non-breaking space
        ("â€œsiegeâ€\x9d", '"siege"'),  # UTF-8 read as cp1252 (mojibake)
        ("zero\u200bwidth", "zerowidth"),  # invisible zero-width space
        ("  many    spaces ", "many spaces"),  # collapsed whitespace
    ],
)
def test_fix_unicode(raw, expected):
    assert clean.fix_unicode(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Wed 05 Apr 2017 Syria attack symptoms", "Syria attack symptoms"),  # weekday + day month year
        ("Fri 07 Apr 2017 at 0914 Homs governor says", "Homs governor says"),  # with a time
        ("12 February 2015 Casualties mount", "Casualties mount"),  # day month year
        ("Published February 18 2015 The Syrian army", "The Syrian army"),  # Daily Sabah
        ("Last updated at Apr 232017 An Israeli attack", "An Israeli attack"),  # Jordan Times, glued year
        ("Saturday 11 April 2015 18:05 Assad Regime", "Assad Regime"),  # weekday, date, time
        ("24.08.2013 Syrian state media accused", "Syrian state media accused"),  # Sputnik numeric date
        ("Date of publication 20 June 2016 An Islamic State", "An Islamic State"),
        ("Rebels took 12 villages on 5 May 2016", "Rebels took 12 villages on 5 May 2016"),  # a date later on stays
    ],
)
def test_strip_date_prefix(raw, expected):
    assert clean.strip_date_prefix(raw) == expected


def test_strip_byline_removes_marked_bylines_only():
    # an outlet byline ending in "English"
    assert clean.strip_byline("by Asharq Al-Awsat English Six Killed") == "Six Killed"
    # Sputnik's header with "Get short URL" counters
    assert (
        clean.strip_byline("Middle East 2159 18.05.2017(updated 2204 18.05.2017) Get short URL 0 55 Daesh attacked")
        == "Daesh attacked"
    )
    # a sentence that merely starts with "by" is kept
    assert clean.strip_byline("by the end of the day rebels withdrew") == "by the end of the day rebels withdrew"


def test_strip_title_repeat():
    # title repeated with different punctuation
    assert (
        clean.strip_title_repeat(
            "Car bomb kills four in Damascus. A car bomb has killed four", "Car bomb kills four in Damascus"
        )
        == "A car bomb has killed four"
    )
    # title not at the start: text unchanged
    assert (
        clean.strip_title_repeat("A car bomb has killed four", "Car bomb kills four in Damascus")
        == "A car bomb has killed four"
    )
    # a text that is only its title keeps the title
    assert (
        clean.strip_title_repeat("35 cases of suffocation in Aleppo", "35 cases of suffocation in Aleppo")
        == "35 cases of suffocation in Aleppo"
    )


@pytest.mark.parametrize(
    ("raw", "title", "expected"),
    [
        # Sputnik tags and comment widget at the end
        (
            "Rebels shelled Damascus. 0 0 Tags chemical weapons Damascus Community standardsDiscussion Comment via Facebook",
            "",
            "Rebels shelled Damascus.",
        ),
        # Al-Araby tag list between summary and body
        ("Rebels shelled the town. Tags Syria Aleppo The army said", "", "Rebels shelled the town. The army said"),
        # Reuters trust-principles trailer
        ("Six were killed. Our Standards:The Thomson Reuters Trust Principles.", "", "Six were killed."),
        # TRT source line and related news
        ("Six were killed. Source TRTWorld and agencies Related News Iraqs vote", "", "Six were killed."),
        # Al-Ahram print/tweet block running up to the repeated title
        (
            "Blast kills 31 AFP Print Tweet Views 729 Related IS claims attack Blast kills 31 in Qamishli -A double bomb",
            "Blast kills 31 in Qamishli",
            "Blast kills 31 AFP A double bomb",
        ),
        # Etilaf source and Twitter trailer
        ("Three were killed. (Source: Syrian Coalition) Twitter", "", "Three were killed."),
    ],
)
def test_strip_debris(raw, title, expected):
    assert clean.strip_debris(raw, title) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("UPDATE 1-Suicide car bomber kills 12", "Suicide car bomber kills 12"),  # wire update prefix
        ("CORRECTED-UPDATE 3-Baghdad blast kills 52", "Baghdad blast kills 52"),  # stacked prefixes
        ("CORRECTED-(OFFICIAL)-Turkish forces kill 30", "Turkish forces kill 30"),  # with a tag
        ("TOPSHOTS Death carts carry family", "Death carts carry family"),  # AFP photo desk
        ("REFILE-Insurgents attack town", "Insurgents attack town"),
        ("March 28th 2017:  (I458a) Matahin neighbourhood, West Mosul", "Matahin neighbourhood, West Mosul"),  # Airwars
        ("Civilians killed in (I380a) strike", "Civilians killed in strike"),  # code mid-headline
        ("UN says 10 killed", "UN says 10 killed"),  # capitals that are not a marker stay
    ],
)
def test_strip_headline_markers(raw, expected):
    assert clean.strip_headline_markers(raw) == expected


def test_split_non_latin_detects_script_runs():
    # an Arabic place name inside an English headline is separated and counted
    text, fragments = clean.split_non_latin("(I468) اليرموك Yarmouk neighborhood")
    assert text == "(I468) Yarmouk neighborhood" and fragments == ["اليرموك"]
    # plain English: nothing found
    assert clean.split_non_latin("Shelling in Homs") == ("Shelling in Homs", [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Eastern Mosul, Nineveh province, Iraq", False),  # bare place
        ("R3654", False),  # bare code
        ("Syria Daily Report 05/02/2016", False),  # a report name, no event words
        ("Airstrikes hit Eastern Mosul", True),  # a verb
        ("Shelling the countryside of Aleppo", True),
        ("Iraqi Forces Retake Key Town From ISIS Militants Near Mosul", True),  # Title Case headline
    ],
)
def test_is_informative(text, expected):
    assert clean.is_informative(text) is expected


def test_split_source_reports_handles_quotes_and_semicolons():
    # two entries; the second headline contains a semicolon
    field = '"AFP,2014-01-25,Iraq violence kills 14";"Reuters News,2014-02-22,Militants occupy town; attacks kill 21"'
    assert events.split_source_reports(field) == [
        ("AFP", "2014-01-25", "Iraq violence kills 14"),
        ("Reuters News", "2014-02-22", "Militants occupy town; attacks kill 21"),
    ]
    # unescaped inner quotes at the end of a headline
    field = '"BBC Monitoring Middle East,2016-02-07,Four Iranians killed fighting "Islamic State, takfiris""'
    assert events.split_source_reports(field)[0][2] == 'Four Iranians killed fighting "Islamic State, takfiris"'
    # empty source_article: fall back to the parallel fields
    assert events.split_source_reports("", office="SOHR;AFP", date="2016-01-01;2016-01-02", headline="A;B") == [
        ("SOHR", "2016-01-01", "A"),
        ("AFP", "2016-01-02", "B"),
    ]


def test_plausible_date_rejects_typos():
    # a year typo (2919) and garbage become NaT; a good date parses
    out = events.plausible_date(pd.Series(["2016-01-02", "2919-02-06", "n/a"]))
    assert out.iloc[0] == pd.Timestamp("2016-01-02") and out.iloc[1:].isna().all()


def test_detect_language_abstains_on_short_or_unclear_text():
    params = LanguageParams(min_tokens=4, min_probability=0.5)
    assert clean.detect_language("Rebels shelled the eastern districts of the city on Monday", params=params) == "en"
    assert clean.detect_language("Les rebelles ont bombardé les quartiers est de la ville lundi", params=params) == "fr"
    assert clean.detect_language("R3654", params=params) == "und"  # too short to tell


def test_id_text_never_renders_floats():
    assert id_text(410923.0) == "410923"
    assert id_text("410923.0") == "410923"
    assert id_text("fakes-7") == "fakes-7"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Air Wars", "Airwars"),
        ("Airwars", "Airwars"),
        ("http://syria.liveuamap.com", "Liveuamap"),
        ("BBC Monitoring European", "BBC Monitoring"),
        ("Reuters News", "Reuters"),
        ("airwars.org", "Airwars"),  # a web address for the same monitor
        ("SOH", "SOHR"),  # truncated spelling
        ("Associated Press Newswires", "Associated Press"),
        ("sana", "SANA"),  # a FA-KES code
        ("Some Local Paper", "Some Local Paper"),  # unknown: kept as written
    ],
)
def test_normalise_outlet(raw, expected):
    assert normalise_outlet(raw) == expected


def test_clean_article_applies_rules_in_order():
    # "Posted on DATE by X English TITLE body": date, byline and title all go
    raw = "Posted on April 19 2017 by Asharq Al-Awsat English Six Killed in Aleppo Bombing Six people were killed"
    assert clean.clean_article(raw, title="Six Killed in Aleppo Bombing") == "Six people were killed"
