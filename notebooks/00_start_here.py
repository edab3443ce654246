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
# # 00 · Start here: a story, a page and an evidence chain
#
# On **Friday 20 January 2023** John Kirby, the White House National Security Council
# spokesman, showed two satellite images: on **18 November 2022** five Russian railcars
# crossed from Russia into North Korea; on **19 November** they were loaded with shipping
# containers and went back. The US said the cargo was infantry rockets and missiles for
# the Wagner Group. North Korea and Wagner's chief denied it.
#
# We meet the story the way researchers often do: as an **English copy on an aggregator
# site**, machine-translated from Polish, with a page header dated **26 February 2024**.
# These notebooks follow the evidence chain from that page to a sourced conclusion:
#
# | notebook | question |
# |---|---|
# | 01 · The capture | Where does this page come from? What is boilerplate, what is credit, what is text? |
# | 02 · Claims and sources | Who claims what? Who copied whom? How many *independent* origins? |
# | 03 · Timeline | What does "Friday" or "last month" mean here? Which dates conflict? |
# | 04 · Image evidence | What do the image files say about themselves? Which one is a re-post, which one was edited? |
# | 05 · Place and time | Where is the only rail link? When was an overhead image taken, from its shadows? |
# | 06 · Conclusions | What is supported independently, what rests on one origin, what is denied, what stays open? |
#
# Three more notebooks use the same methods beyond the story: **07 · Archives and channels**
# (web archives, Telegram exports), **08 · Practice case** (a constructed case to work alone)
# and **09 · Video evidence** (a generated, labelled teaching clip: its metadata and clock,
# findings, keyframes, copies, and the frame a photo was taken from).
#
# **About the images.** The released images are not available offline. Every image in
# `examples/evidence/` is a **RECONSTRUCTION FOR TEACHING**, drawn by
# `examples/make_reconstructions.py` and labelled as such in its own metadata and in its
# pixels. We never present them as the real images.

# %% [markdown]
# ## How to use the kit
#
# Everything is in the `osint_kit` package: `import osint_kit as ok` and find every
# function with `ok.<TAB>` (each has a docstring: `ok.parse_when?`). The worked case is a
# folder of plain files (`examples/case/`: the captured page, sources, claims,
# propositions, events, places) and a folder of evidence files (`examples/evidence/`). One
# call loads all of it:

# %%
import osint_kit as ok
from osint_kit.workshop.casefiles import find_examples, load_example_case

EXAMPLES = find_examples()  # the examples/ folder of this repository
case = load_example_case(EXAMPLES)
case

# %% [markdown]
# Every record shows itself as a table in the notebook. Sources carry **Admiralty grades**
# (reliability of the source A–F, credibility of the item 1–6) and a provenance note that
# starts with the case's legend: **[C]** confirmed (read in the source cited), **[S]**
# secondary only, **[B]** believed but not confirmed, **[X]** computed (recompute it!).

# %%
case.sources.source("whitehouse_briefing_2023_01_20")

# %% [markdown]
# ## The workshop
#
# The notebooks double as a three-hour workshop. Cells tagged **exercise** ask a question;
# the next cell (tagged **solution**) holds the worked answer in the teacher's version and a
# placeholder (`answer = ...  # your answer`) in the student's version. A self-check says
# **correct**, **almost** (a near miss) or **not yet** with a hint, without revealing the
# answer; it reads answers in the usual forms (`"20 January 2023"`, `"10:32 KST"`,
# `"336°"`, a file name with or without `.jpg`). Exercises marked **(judgement)** ask for a
# grade, a choice or a few sentences: their check counts the key points it recognises, and
# the model answer is discussed in class.

# %%
ok.check("khasan_clock_ahead_hours", ...)

# %% [markdown]
# Teachers: build a student folder with `osint-kit workshop build --student FOLDER` and
# open it with `osint-kit workshop lab FOLDER` (see `docs/workshop.md`). Next: **01 · The capture**.
