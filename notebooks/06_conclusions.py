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
# # 06 · Conclusions: what do we know, and how well?
#
# Four questions for every proposition: is it **supported by independent evidence**, does
# it **rest on one origin**, is it **denied** (by whom), and what **stays open**? Then the
# whole case goes into a tamper-evident case folder and a report.

# %%
import osint_kit as ok
from osint_kit.workshop.casefiles import (
    OPEN_QUESTIONS,
    build_case,
    find_examples,
    load_example_case,
    output_dir,
)

EXAMPLES = find_examples()
OUT = output_dir()  # build/notebooks/ in the repository
case = load_example_case(EXAMPLES)
sources = case.sources

# %%
table = ok.independence_table(sources.claims, sources.sources)
statements = {p.id: p.statement for p in sources.propositions}
table.assign(statement=table["proposition"].map(statements))[
    ["proposition", "statement", "supporting_origins", "contradicting_origins", "confidence"]]

# %% [markdown]
# ## Reading the table
#
# * **Rests on one origin.** The rail movements of 18 and 19 November (P1, P2) are
#   reported by many outlets, but every chain ends at the US government's briefing and its
#   two images. We found no independent imagery of those two days (38 North reported other
#   trains on 4 and 29-30 November); that is the limit of our search, not proof that none
#   exists: look for Planet or Sentinel-2 scenes of 18-19 November 2022 yourself. P3 shows "two" origins: both are
#   statements of the same government (22 Dec 2022 and 20 Jan 2023).
# * **Denied.** North Korea (KCNA, 23 Dec 2022 and 29 Jan 2023) and Wagner's chief (22 Dec
#   2022) deny any arms deliveries (P3). The first KCNA statement does not mention Wagner.
# * **Not shown by the evidence.** What the containers held (P5): the images do not show it.
# * **Place.** That the loading happened at Tumangang (P4) rests on secondary outlets; the
#   dual-gauge line means it could have happened further in.
# * **Later context.** From autumn 2023, independent imagery (Beyond Parallel, RUSI) and
#   official statements document large transfers by sea via Rajin: they corroborate the
#   *pattern*, not the specific November 2022 consignment.

# %% [markdown] tags=["exercise"]
# **Exercise 6.1** Which propositions about the rail movements themselves rest on the US
# government alone? Give their ids.

# %% tags=["solution"]
single_origin = ["P1_cars_in", "P2_loaded_out"]
ok.check("single_origin_propositions", single_origin)

# %% [markdown]
# ## What stays open

# %%
for number, question in enumerate(OPEN_QUESTIONS, start=1):
    print(f"{number}. {question}")

# %% [markdown]
# ## The case folder and the report
#
# `build_case` puts everything into a **case folder**: sources, claims, propositions and
# events as records, the evidence files copied in with their hashes (the originals are only
# read), the open questions as notes, and a hash-chained custody log of every step. The
# report is one self-contained HTML file (no external resources) plus a Markdown twin.

# %%
investigation = build_case(OUT / "case", case, overwrite=True)
investigation.counts()

# %%
investigation.verify()

# %%
html_path, md_path = investigation.report(OUT / "report.html")
print(html_path)
print(md_path)
investigation.close()
