# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 · Timeline: fuzzy dates, relative dates, and a trap
#
# Dates in sources are rarely clean: "mid-November", "late Thursday", "last month",
# "Friday". A date in osint_kit is a **When**: an interval in UTC with its precision, the
# words it came from and *how* it was resolved. Relative words need a **reference date**,
# and choosing the wrong one silently moves events by a year.

# %%
# %matplotlib inline
import datetime as dt

import osint_kit as ok
from osint_kit.display.text import human_duration
from osint_kit.workshop.casefiles import find_examples, load_example_case, output_dir

EXAMPLES = find_examples()
OUT = output_dir()  # build/notebooks/ in the repository
case = load_example_case(EXAMPLES)

# %% [markdown]
# ## Fuzzy dates keep their uncertainty

# %%
for text in ("mid-November 2022", "late Thursday 22 December 2022", "Nov. 18-19 2022"):
    print(repr(ok.parse_when(text, tz="Europe/Moscow")))

# %% [markdown]
# ## The "Friday" / "last month" trap
#
# The article says *"The United States **on Friday** released satellite images"* and
# *"**Last month**, Washington reported..."*. Both need a reference date, and the capture
# offers two: the page header (your answer to exercise 1.1, the scrape date **[C]**) and
# the publication date of the Polish original, which was not found: it is only **believed**
# to be 20 or 21 January 2023 **[B]**, so try both. The tool
# is `ok.parse_when(text, reference=..., tz="Europe/Warsaw")`; `.describe()` and
# `.provenance` say what it read and how.

# %% [markdown] tags=["exercise"]
# **Exercise 3.1** Which date does "Friday" mean in the article? And which date would you
# get, wrongly, from the page header? Resolve both with `ok.parse_when` and answer as
# dates (any common form: `"2023-01-20"`, `"20 January 2023"`).

# %% tags=["solution"]
friday_date = "2023-01-20"  # 'Friday' against the publication date, in Warsaw time
friday_trap_date = "2024-02-23"  # 'Friday' against the page header
ok.check("friday_date", friday_date)

# %%
ok.check("friday_trap_date", friday_trap_date)

# %% [markdown] tags=["exercise"]
# **Exercise 3.2** "Last month, Washington reported that the Wagner Group had received a
# shipment...": which month? Answer as `YYYY-MM`.

# %% tags=["solution"]
last_month = "2022-12"
ok.check("last_month", last_month)

# %% [markdown]
# The worked result: read against the page header (Monday 26 February 2024), "Friday" is
# 23 February 2024 and "last month" January 2024: both wrong. Against either believed
# publication day, "Friday" is **20 January 2023** (the briefing: a weekday named in a text is
# the most recent such day *including* the reference day, the news convention, and the
# provenance names that rule) and "last month" **December 2022** (Kirby's statement of
# 22 December). The reading does not hang on which of the two believed days is right.

# %%
PAGE_HEADER = "2024-02-26"  # the aggregator's page date [C]
PUBLISHED = "2023-01-21"  # publication of the Polish original: 20 or 21 January 2023 [B]
for label, reference in (("page header", PAGE_HEADER), ("believed publication day", "2023-01-20"),
                         ("believed publication day", PUBLISHED)):
    friday_when = ok.parse_when("Friday", reference=reference, tz="Europe/Warsaw")
    month_when = ok.parse_when("Last month", reference=reference, tz="Europe/Warsaw")
    print(f"against the {label} ({reference}):")
    print(f"   Friday     -> {friday_when.describe()}   [{friday_when.provenance}]")
    print(f"   last month -> {month_when.describe()}   [{month_when.provenance}]")

# %% [markdown]
# Check the weekdays yourself: every date the story needs falls on the right day.

# %%
for day in ("2022-11-18", "2022-11-19", "2022-12-22", "2023-01-20", "2024-02-26"):
    print(day, dt.date.fromisoformat(day).strftime("%A"))

# %% [markdown]
# ## The case's events and their conflicts
#
# `examples/case/events.yaml` records each event with the words its source used and the
# reference they must be read against. Events that should coincide (same `event_key`) but
# cannot are **conflicts**: the Yahoo relay's "18 October" against everyone else's 18
# November.
#
# The article's own date for the loading, **"mid-November"** (in its lead: "loaded with
# North Korean ammunition in mid-November"), is event `E05b_article_mid_november`, beside
# Kirby's 19 November (`E05_loaded_out`, same `event_key`). "mid-November" is the middle
# third of the month, 11-20 November 2022: it holds 18 and 19 November, so it is no
# conflict. The article's date is vaguer but consistent; its "ammunition" is the problem
# (notebook 02: the images do not show what the containers held).

# %%
timeline = case.timeline
timeline.df[["event_id", "label", "earliest", "latest", "precision", "when_text"]]

# %%
loading = timeline.df.set_index("event_id").loc[
    ["E04_cars_in", "E05_loaded_out", "E05b_article_mid_november"]]
loading[["label", "earliest", "latest", "when_text"]]

# %%
def conflict_table(conflicts):
    """The conflicts with their gap in words ("30 days"), not as a raw Timedelta."""
    shown = conflicts[["conflict", "key", "event_id", "other_event_id", "gap"]]
    return shown.assign(gap=shown["gap"].map(human_duration))


conflict_table(timeline.conflicts())

# %% [markdown]
# Now make the trap visible: add the article's "Friday" read against the **page header**.
# It should be the same event as the briefing (`event_key: briefing`), and it lands 398
# days away.

# %%
wrong = ok.Event(
    label='"on Friday" read against the page header (WRONG)',
    when=ok.parse_when("Friday", reference=PAGE_HEADER, tz="Europe/Warsaw"),
    kind="reported", event_key="briefing", source_ids=("polishnews_aggregator",),
    event_id="E13_wrong_reference",
)
conflict_table(timeline.add(wrong).conflicts())

# %% [markdown]
# ## Claims have two times: when it was said, and when it happened
#
# Every claim in `examples/case/claims.yaml` keeps two dates apart: `stated`, when the
# statement was made, and `about`, when the thing it describes happened, in the source's own
# words and read against `stated`. Kirby said on 22 December 2022 that the delivery was
# "last month": stated December, about **November** 2022. A denial dated 23 December is a
# statement date, not the date of any rail movement, so its `about` stays empty. Mixing the
# two used to produce false "conflicts" (a statement of 22 December against an event of
# 18 November).

# %%
two_times = case.sources.frames()["claims"].set_index("id").loc[
    ["C16_kirby_dec", "C30_kcna_dec", "C08b_agg_lead_ammunition", "C25_yahoo_october"]]
two_times[["source_id", "stated", "about", "proposition_id"]]

# %% [markdown]
# `claim_events` puts each claim's `about` date on a timeline, with one `event_key` per
# proposition, so only event dates are compared with event dates. Its **confidence** is the
# probability of the proposition's assessment (notebook 02): 0.65 for P1, P2 and P6 (one
# party, the US government, nobody against), 0.63 for P3 and P5 (the same party for, the
# DPRK and Wagner against), 0.54 for P4 (claims of unknown origin), 0.91 for P7 (three
# outlets date the briefing themselves).

# %%
from osint_kit.sources import claim_events

claimed, skipped = claim_events(case.sources.claims, case.sources.sources)
claim_timeline = ok.Timeline(claimed, title="What the claims date")
claim_timeline.df.groupby("event_key")["confidence"].first().round(2)

# %% [markdown]
# Among the claims' own dates exactly one conflict is left: the Yahoo relay's "18 October"
# against a claim that says 18 November. That one is real, a transcription error to catch.

# %%
claim_timeline.conflicts()[["conflict", "key", "event_id", "other_event_id", "gap"]]

# %% [markdown]
# ## Plot
#
# Bars show intervals: a whole month is a low, pale, hatched bar; a day a taller solid one.

# %%
fig = ok.plot_timeline(timeline, lane="kind", title="Worked case: events by kind")
fig

# %% [markdown]
# ## The interactive explorer
#
# Drag the **date range** to zoom in on November 2022 - January 2023; filter lanes, kinds
# or words. The figure and the table follow. (The widget needs a live kernel: in a static
# HTML export it shows its last state.)

# %%
explorer = ok.timeline_explorer(timeline, lane="kind")
explorer

# %% [markdown]
# ## Exports
#
# The same timeline goes out as CSV, TimelineJS JSON and Timesketch JSONL for other tools.

# %%
print(timeline.to_csv(OUT / "case_timeline.csv"))
print(timeline.to_timesketch_jsonl(OUT / "case_timeline.jsonl"))
print(len(timeline.to_timelinejs()["events"]), "TimelineJS events")

# %% [markdown]
# Next: **04 · Image evidence**.
