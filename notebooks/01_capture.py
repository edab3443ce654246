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

# %%
capture.lines_frame()

# %% [markdown]
# ## Page date is not publication date
#
# The first lines, `6.4 C / Monday, February 26, 2024`, are the site's weather widget and
# date: the day the page was **rendered or scraped**, not the day the article was written.
# The kit keeps it apart as `page_date`, and warns that a plain-text capture has no
# publication date.

# %%
print("page date:", capture.page_date)
print("published:", capture.published)
for warning in capture.warnings:
    print("warning:", warning)

# %% [markdown] tags=["exercise"]
# **Exercise 1.1** Which date does the page header show? Answer as `YYYY-MM-DD`.

# %% tags=["solution"]
page_date = "2024-02-26"
ok.check("capture_page_date", page_date)

# %% [markdown]
# ## Credits run into captions
#
# The aggregator scraped the photo captions with the credit glued on:
# `John Kirby at a press conferencePAP/EPA/MICHAEL REYNOLDS`. The kit splits caption from
# credit. Two agencies' names (PAP, EPA) and Reuters appear: the article was built on
# **wire copy**.

# %%
for caption in capture.captions:
    print(f"line {caption.line}: caption={caption.caption!r}  credit={caption.credit!r}  "
          f"({caption.rule})")

# %% [markdown] tags=["exercise"]
# **Exercise 1.2** Which agencies are credited on the two photos? Give a list of agency
# names (no person).

# %% tags=["solution"]
credits = ["PAP", "EPA", "Reuters"]
ok.check("capture_credits", credits)

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
# ## Dates in the text need a reference
#
# "Friday", "mid-November" and "Last month" are **relative**: they cannot be placed on a
# calendar without a reference date. The kit refuses to guess and says so; notebook 03
# resolves them, and shows what goes wrong with the wrong reference.

# %%
capture.dates_frame()[["text", "line", "context", "earliest", "error"]]

# %% [markdown]
# ## The source record
#
# What we know about this page is written down once, with its grade and legend
# (`examples/case/sources.yaml`). It **copies** the (unfound) Polish original, which
# **cites** the PAP and Reuters wires.

# %%
case.sources.source("polishnews_aggregator")

# %% [markdown]
# Next: **02 · Claims and sources**.
