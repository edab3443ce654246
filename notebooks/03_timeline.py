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
# the publication date of the Polish original, **about 21 January 2023** **[B]**. The tool
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
# The worked result: read against the page header, "Friday" and "last month" fall in
# February and January 2024, both wrong; read against the publication date they are the
# briefing of 20 January 2023 and Kirby's statement of December 2022.

# %%
PAGE_HEADER = "2024-02-26"  # the aggregator's page date [C]
PUBLISHED = "2023-01-21"  # publication of the Polish original, about this day [B]
for label, reference in (("page header", PAGE_HEADER), ("publication date", PUBLISHED)):
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

# %%
timeline = case.timeline
timeline.df[["event_id", "label", "earliest", "latest", "precision", "when_text"]]

# %%
timeline.conflicts()[["conflict", "key", "event_id", "other_event_id", "gap"]]

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
timeline.add(wrong).conflicts()[["conflict", "key", "event_id", "other_event_id", "gap"]]

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
