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
# # 01 · The capture: where does this page come from?
#
# Our starting point is a page captured from **polishnews.co.uk**, an aggregator that
# re-posts Polish news in machine-translated English. Before reading a word of it we fix
# *what we have*: the exact bytes (a hash), where it came from, and which date on it means
# what.

# %%
import osint_kit as ok
from osint_kit._io import sha256_file
from osint_kit.workshop.casefiles import CAPTURE_SHA256, find_examples, load_example_case

case = load_example_case(find_examples())
digest = sha256_file(case.capture_path)
print(case.capture_path.name, digest)
print("byte-identical to the capture recorded in examples/case/README.md:",
      digest == CAPTURE_SHA256)

# %% [markdown]
# The hash is the capture's fingerprint: any later copy, quotation or report can be traced
# back to exactly these bytes. Now ingest it: every line gets a **role** (title, body,
# caption, boilerplate, page date) and the reason for that role.

# %%
capture = ok.ingest_text(case.capture_text, url=case.sources.source("polishnews_aggregator").url)
capture

# %% [markdown]
# ## Page date is not publication date
#
# Aggregator pages open with a header: a weather widget and a date. That date is the day
# the page was **rendered or scraped**, not the day the article was written. The kit keeps
# it apart as `capture.page_date`; `capture.lines_frame()` shows every line with its role,
# and `case.capture_text` is the raw text.

# %% [markdown] tags=["exercise"]
# **Exercise 1.1** Which date does the page header show? Find it with one of the tools
# above and answer as a date (`"2023-01-20"`, `"20 January 2023"`... any common form).

# %% tags=["solution"]
page_date = capture.page_date.text if capture.page_date else None  # the header's words
ok.check("capture_page_date", page_date)

# %% [markdown]
# The worked result: the kit's reading of the header, and its warning that a plain-text
# capture has no publication date.

# %%
print("page date:", capture.page_date)
print("published:", capture.published)
for warning in capture.warnings:
    print("warning:", warning)
capture.lines_frame()

# %% [markdown]
# ## Credits run into captions
#
# The aggregator scraped the photo captions with the credit glued on to the caption text.
# The kit splits caption from credit: `capture.captions` is the list of `Caption`s, each
# with `.caption`, `.credit` and the `.rule` that split it.

# %% [markdown] tags=["exercise"]
# **Exercise 1.2** Which agencies are credited on the two photos? Give a list of agency
# names (no person), in any order.

# %% tags=["solution"]
credits = ["PAP", "EPA", "Reuters"]  # from capture.captions: PAP/EPA/<photographer>, Reuters
ok.check("capture_credits", credits)

# %% [markdown]
# The worked result: two agencies' names (PAP, EPA) and Reuters appear, so the article was
# built on **wire copy**.

# %%
for caption in capture.captions:
    print(f"line {caption.line}: caption={caption.caption!r}  credit={caption.credit!r}  "
          f"({caption.rule})")

# %% [markdown]
# ## Boilerplate and translation traces
#
# Advertisement slots, "Must read", "Source link", "More articles" are **boilerplate**: not
# part of the article. What remains is the main text. Two phrases betray a machine
# translation from Polish: *"for use by the Wagner ships"* (most plausibly a garbled
# *wagnerowców*, "Wagner fighters" **[B]**) and *"the Wagnerians"* (*wagnerowcy*).

# %%
print([line.text for line in capture.boilerplate])
print()
for line in capture.main_lines:
    if "Wagner" in line.text and ("ships" in line.text or "Wagnerians" in line.text):
        print(f"line {line.number}: {line.text}")

# %% [markdown]
# ## What the photos can show
#
# The United States released two satellite images of railcars at a border station. An
# image taken from above shows railcars, containers, shadows: not what is inside a closed
# container, nor who ends up using it. Read the main text of the article:

# %%
for line in capture.main_lines:
    print(f"{line.number:>3}: {line.text}")

# %% [markdown] tags=["exercise"]
# **Exercise 1.3** (judgement) Find the sentence where the article claims more than the
# imagery can show. Copy the sentence, and add in a few words what it claims beyond the
# images. The check counts the key points it finds; the model answer is discussed in class.

# %% tags=["solution"]
overclaim = ("The photos show Russian railway wagons that were loaded with North Korean "
             "ammunition in mid-November and then found their way into the hands of "
             "mercenaries from the Wagner Group. It adds the ammunition (a closed container's "
             "contents) and the Wagner end user: neither can be seen from above.")
ok.check("overclaim_sentence", overclaim)

# %% [markdown] tags=["solution-text"]
# **Model answer.** Line 10: *"The photos show Russian railway wagons that were loaded with
# North Korean ammunition in mid-November and then found their way into the hands of
# mercenaries from the Wagner Group."* The images can show railcars and containers at a
# station on a day; the sentence attributes to **the photos** the cargo (ammunition) and
# its end user (Wagner), which come from the White House's words, not from the pixels. The
# headline ("Wagons with ammunition") repeats it without attributing it at all.
#
# **Rubric** (for all judgement exercises, see docs/workshop.md): 2 = the right sentence
# and both additions (cargo, end user) named as not visible; 1 = the right sentence or
# the headline, with one addition; 0 = a sentence about the briefing or the dates.

# %% [markdown]
# ## Dates in the text need a reference
#
# "Friday", "mid-November" and "Last month" are **relative**: they cannot be placed on a
# calendar without a reference date. The kit refuses to guess and says so; notebook 03
# resolves them, and shows what goes wrong with the wrong reference.

# %%
capture.dates_frame()[["text", "line", "context", "earliest", "error"]]

# %% [markdown]
# ## Grading the source
#
# Analysts grade a source's **reliability** on the Admiralty scale: A completely reliable,
# B usually reliable, C fairly reliable, D not usually reliable, E unreliable, F
# reliability cannot be judged. (The credibility of each item, 1-6, is graded apart.) You
# have now seen everything this page is: its header, its captions, its translation traces,
# its undated relative dates.

# %% [markdown] tags=["exercise"]
# **Exercise 1.4** (judgement) Grade the reliability of the polishnews.co.uk page (a letter
# A-F) and justify your grade in two or three sentences.

# %% tags=["solution"]
reliability = "D"
ok.check("aggregator_reliability", reliability)

# %% tags=["solution"]
why = ("It is an aggregator copy, not the original: a machine translation of a Polish "
       "article (the 'Wagner ships'), with no publication date, only the page date of the "
       "scrape. What it says rests on the PAP and Reuters wires and the White House briefing.")
ok.check("aggregator_grade_why", why)

# %% [markdown] tags=["solution-text"]
# **Model answer.** D (not usually reliable), or F (cannot be judged) if you argue that an
# anonymous aggregator has no track record at all; not A-C. Reasons: it is a **copy** of an
# original we have not found; the **machine translation** garbles words ("Wagner ships");
# it has **no publication date**, only the page date of the scrape; credits run into
# captions. What it says is only as good as what it rests on: the **wires** (PAP, Reuters)
# and, through them, the White House briefing. The case grades it D3.
#
# **Rubric:** 2 = a defensible grade with at least two of: copy not original, translation
# traces, no publication date, what it rests on; 1 = a grade with one reason; 0 = a grade
# of the *claim* (ammunition true or false) instead of the source.

# %% [markdown]
# ## The source record
#
# What we know about this page is written down once, with its grade and legend
# (`examples/case/sources.yaml`). It **copies** the (unfound) Polish original, which
# **cites** the PAP and Reuters wires. Compare the case authors' grade with yours.

# %%
case.sources.source("polishnews_aggregator")

# %% [markdown]
# Next: **02 · Claims and sources**.
