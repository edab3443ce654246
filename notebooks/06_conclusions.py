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
assessed = ok.assessment_table(sources.claims, sources.sources, sources.propositions)
assessed[["proposition_id", "statement", "assessment", "probability", "supporting_parties",
          "contradicting_parties", "unknown_origin_claims", "denials", "direct_evidence"]]

# %%
for row in assessed.itertuples():
    print(f"{row.proposition_id:>30}: {row.explanation}")

# %% [markdown] tags=["exercise"]
# **Exercise 6.1** Which propositions about the rail movements themselves rest on the US
# government alone? Give their ids.

# %% tags=["solution"]
single_origin = ["P1_cars_in", "P2_loaded_out"]
ok.check("single_origin_propositions", single_origin)

# %% [markdown]
# ## Reading the table
#
# The estimate says how far the **recorded sources and their grades** carry, not what
# happened (notebook 02 gives the rule). Read it with the four questions:
#
# * **Supported by independent evidence?** Only the date of the briefing, **P7**, is
#   **very likely (91%)**: AP, the Washington Post and Open, three outlets that covered it,
#   date it to Friday 20 January 2023 themselves.
# * **Rests on one origin.** The rail movements of 18 and 19 November (**P1, P2**) are
#   **likely (65%)**: many outlets report them, but every chain ends at one party, the US
#   government, its briefing and its two images (`direct_evidence` 1: evidence it released
#   itself, still one party). We found no independent imagery of those two days (38 North
#   reported other trains on 4 and 29-30 November); that is the limit of our search, not
#   proof that none exists: look for Planet or Sentinel-2 scenes of 18-19 November 2022
#   yourself. **P6** (evidence shared with the UN) is likely (65%) on the same single party.
# * **Denied.** **P3** (arms for Wagner) is **likely (63%)**, below P1 and P2: one party
#   for it (the US government: its statements of 22 Dec 2022 and 20 Jan 2023 count once),
#   two parties against it (the DPRK government, KCNA 23 Dec 2022 and 29 Jan 2023; the
#   Wagner Group, Prigozhin 22 Dec 2022: `denials` 3, three statements of two parties).
#   The denials are graded E4 and weigh little, but a denied proposition never outranks an
#   undenied one with the same support. The first KCNA statement does not mention Wagner.
# * **Not shown by the evidence.** **P5** (the containers held munitions) comes out
#   **likely (63%)** for the same reasons as P3, yet `direct_evidence` is **0**: the images
#   show containers, not what they held. The estimate is the US government's word
#   ("imagery of this initial delivery") and nothing more. The aggregator's headline, lead
#   and caption ("wagons with ammunition", "the photos show ... ammunition") state it as
#   fact: the article's central overclaim. Its "mid-November" agrees with 18-19 November.
# * **Place.** That the loading happened at Tumangang (**P4**) is a **roughly even chance
#   (54%)**: two secondary outlets say so, of unknown origin (Militarnyi's citation of
#   Beyond Parallel is for an October 2023 report, so it is not the origin), counted once at
#   half weight. The dual-gauge line means the loading could have happened further in.
# * **Later context.** From autumn 2023, independent imagery (Beyond Parallel, RUSI) and
#   official statements document large transfers by sea via Rajin: they corroborate the
#   *pattern*, not the specific November 2022 consignment.
#
# Argue with the grades. Give the briefing B2 instead of B3 (below): P1, P2, P3, P5 and P6
# all rest on it and move up together (to 71% and 70%), the order stays, and P5 still has
# no direct evidence: no grade shows what the containers held.

# %%
import dataclasses

regraded = [dataclasses.replace(s, credibility=2)
            if s.id == "whitehouse_briefing_2023_01_20" else s for s in sources.sources]
what_if = ok.assessment_table(sources.claims, regraded, sources.propositions)
what_if[["proposition_id", "assessment", "probability", "direct_evidence"]]

# %% [markdown]
# ## Saying how likely
#
# `ok.assessment_table` (notebook 02) turns parties, denials and direct evidence into an
# estimative term (ICD 203: almost no chance, very unlikely, unlikely, roughly even chance,
# likely, very likely, almost certain) with its probability band and reasons:

# %%
assessed = ok.assessment_table(sources.claims, sources.sources, sources.propositions)
assessed[["proposition_id", "assessment", "band_low", "band_high", "supporting_parties",
          "contradicting_parties", "direct_evidence"]]

# %% [markdown] tags=["exercise"]
# **Exercise 6.2** (judgement) Write the assessment of P5 (the containers held munitions)
# as an analyst would: one or two sentences with an estimative term and its reasons (who
# supports it, what evidence there is, who denies it).

# %% tags=["solution"]
p5_text = ("We assess it is likely (55-80%) that the containers held munitions: the claim "
           "rests on one party, the US government; the released images do not show the "
           "containers' contents, so there is no direct evidence; the DPRK and Wagner deny it.")
ok.check("p5_assessment", p5_text)

# %% [markdown] tags=["solution-text"]
# **Model answer.** "We assess that it is **likely** (55-80%) that the containers held
# munitions. The assessment rests on **one party**, the US government, whose imagery shows
# railcars and containers but **not their contents** (no direct evidence); the DPRK and
# the Wagner Group **deny** it, with little weight but not none. It would change with
# independent evidence of the cargo." The term is the kit's; the point is the reasons.
#
# **Rubric:** 2 = an ICD 203 term (with or without band) and the three reasons: single
# party, no direct evidence of the cargo, the denials; 1 = the term with one or two
# reasons; 0 = "confirmed" / "proven", or a probability without reasons.

# %% [markdown]
# ## What stays open

# %%
for number, question in enumerate(OPEN_QUESTIONS, start=1):
    print(f"{number}. {question}")

# %% [markdown]
# ## What a reconstruction can show
#
# In notebook 05 you measured shadows on the two **reconstructed** overhead views and got
# back late-morning times. The released US images themselves are not in the case.

# %% [markdown] tags=["exercise"]
# **Exercise 6.3** (judgement) Do the times you measured in notebook 05 date the released
# US images? Choose A, B or C:
#
# * A) yes: they give the times the released US images were taken
# * B) no: they only show that the method gives back the times the case authors drew
# * C) partly: they narrow the real images to the late morning

# %% tags=["solution"]
reconstruction_choice = "B"
ok.check("reconstruction_dates_real", reconstruction_choice)

# %% [markdown] tags=["exercise"]
# **Exercise 6.4** (judgement) In two or three sentences: what can the reconstruction
# show, what can it not show, and what would you need to date the real pictures?

# %% tags=["solution"]
reconstruction_text = ("It shows that the measurement and chronolocate work: the method "
                       "recovers the times the authors chose when they drew the shadows. It "
                       "cannot date the released US images; for that we need the real "
                       "images' own shadows or their acquisition metadata.")
ok.check("reconstruction_why", reconstruction_text)

# %% [markdown] tags=["solution-text"]
# **Model answer.** The reconstruction is a **consistency check of the method**: the case
# authors **chose** the times and drew the shadows from them, so recovering them shows the
# measurement and `chronolocate` agree, nothing more. It cannot date the **released
# images**: their sensor and acquisition times are unknown, and real imagery of the site
# exists both in the morning and the early afternoon. Dating them needs their **own
# shadows** (measured as in 05) or their acquisition metadata.
#
# **Rubric:** 2 = B, method check vs. authors' choice, and what would date the real
# images; 1 = B with one of these; 0 = A or C (a drawing presented as a finding).

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
