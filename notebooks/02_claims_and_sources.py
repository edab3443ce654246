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
# # 02 · Claims and sources: who says what, and who copied whom?
#
# Twenty outlets repeating one briefing are **one** origin, not twenty. This notebook
# separates *claims* (who asserts what, where) from *propositions* (what we want to know)
# and *sources* (documents that cite or copy each other), then counts independent origins.

# %%
# %matplotlib inline
from IPython.display import HTML

import osint_kit as ok
from osint_kit.workshop.casefiles import find_examples, load_example_case

case = load_example_case(find_examples())
sources = case.sources
capture = ok.ingest_text(case.capture_text)

# %% [markdown]
# ## Candidate claims from the capture
#
# The kit proposes candidate claims sentence by sentence, each with the rule that proposed
# it. They are **unconfirmed** until a researcher reads them and attaches them to a
# proposition.

# %%
candidates = ok.propose_claims(capture, source_id="polishnews_aggregator")
print(len(candidates), "candidates")
for claim in candidates[:6]:
    print(f"- {claim.claimant!s:>22} | {claim.text[:90]}")

# %% [markdown]
# The confirmed claims of the case live in `examples/case/claims.yaml`, each tied to a
# proposition with a stance (supports / contradicts / mentions).

# %%
frames = sources.frames()
frames["propositions"][["id", "statement"]]

# %%
frames["claims"][["id", "source_id", "claimant", "proposition_id", "stance"]]

# %% [markdown]
# ## The claim × source matrix
#
# Rows are propositions, columns are sources; each cell says whether that source supports,
# contradicts or only mentions the proposition (or is silent).
#
# Look at the row **P5** (the containers held munitions). The aggregator **supports** it:
# its headline ("Wagons with ammunition"), its lead ("The photos show Russian railway wagons
# that were loaded with North Korean ammunition") and a caption say so. The White House
# supports it too: Kirby presents the imagery as "this initial delivery" of rockets and
# missiles. But the column of the evidence itself, `us_imagery_2023_01_20`, is **silent** on
# P5: the released images show containers, not what they held, and NK News only
# **mentions** P5 ("content of containers unclear"). The article states as what "the photos
# show" something the photos do not show. (The last column, `teaching_reconstructions`, is
# the case authors' drawings: silent everywhere, as it should be.)

# %%
matrix = ok.cross_reference(sources.claims, sources.sources, sources.propositions)
HTML(ok.matrix_html(matrix, title="Propositions x sources"))

# %%
matrix.loc["P5_containers_held_munitions",
           ["polishnews_aggregator", "whitehouse_briefing_2023_01_20",
            "us_imagery_2023_01_20", "nknews_2023_01_20"]]

# %% [markdown]
# ## Who copied whom: independent origins
#
# Each source says what it **cites** and what it **copies**. Following those links back,
# most of the coverage ends at the White House briefing of 20 January 2023. In the graph,
# arrows point from a source to what it rests on; origins sit on the right.
#
# A claim's chain is followed **per proposition**: an edge counts only when it leads to a
# source that is on record about the same proposition. Militarnyi cites Beyond Parallel,
# but for an October 2023 report; Beyond Parallel says nothing in the case about the loading
# of 19 November 2022, so it is **not** the origin of Militarnyi's claim about P4. Where a
# chain leads nowhere on record, the origin is shown as **origin unknown**, never guessed.

# %%
figure = ok.plot_independence(ok.citation_graph(sources.sources))

# %% [markdown] tags=["exercise"]
# **Exercise 2.1** How many independent origins support P1 (five railcars into North
# Korea on 18 Nov 2022)? Count them yourself: the claims' `origin_id` column
# (`frames["claims"]`), the sources' `cites`/`copies` (`frames["sources"]`) and the graph
# above. Then run `ok.independent_origins("P1_cars_in", sources.claims, sources.sources)`
# to compare.

# %% tags=["solution"]
origins_p1 = ok.independent_origins("P1_cars_in", sources.claims, sources.sources).supporting
ok.check("independent_origins_p1", origins_p1)

# %% [markdown]
# The worked result, for P1 and for P4:

# %%
print(ok.independent_origins("P1_cars_in", sources.claims, sources.sources).explanation)

# %%
print(ok.independent_origins("P4_loaded_at_tumangang", sources.claims,
                             sources.sources).explanation)

# %% [markdown]
# ## The denials
#
# Who contradicts what? The KCNA statement of 23 Dec 2022 **does not mention Wagner**, but
# it answers a report of munitions sent by rail in November, so it stands against P3 and
# P5; the statement of 29 Jan 2023 came **after** the imagery release; Prigozhin's denial
# was posted on Concord's Telegram channel on 22 Dec 2022. The UN said it had **no
# information**: an absence of evidence, not a denial. `stated` is when each denial was
# made; none of them dates an event, so their `about` is empty.

# %%
claims = frames["claims"]
claims[claims["stance"] == "contradicts"][["id", "proposition_id", "claimant", "stated", "text"]]

# %% [markdown] tags=["exercise"]
# **Exercise 2.2** How many distinct *parties* deny P3 (count parties, not statements)?

# %% tags=["solution"]
denying_parties = 2  # the DPRK (two KCNA statements) and Wagner (Prigozhin)
ok.check("denying_parties", denying_parties)

# %% [markdown]
# ## Copy or independent report?
#
# An outlet can be an independent origin for one thing and a relay for another. The
# Washington Post makes two claims in the case:

# %%
claims[claims["source_id"] == "wapo_sonne_2023_01"][["id", "proposition_id", "text"]]

# %% [markdown] tags=["exercise"]
# **Exercise 2.3** (judgement) For each of the Post's two claims, is it an independent
# origin, or does it rest on the White House briefing? Choose one of: `"rests on the White
# House briefing"`, `"an independent origin"`, `"origin unknown"` (or its letter A, B, C),
# then say why in a sentence or two.

# %% tags=["solution"]
wapo_p1 = "rests on the White House briefing"  # the railcars on 18 November 2022
wapo_p7 = "an independent origin"  # the briefing was on Friday 20 January
ok.check("wapo_p1_origin", wapo_p1)

# %%
ok.check("wapo_p7_origin", wapo_p7)

# %% tags=["solution"]
wapo_reason = ("The railcars: the Post had no imagery of its own and could not see them; it "
               "reports what the White House briefing said. The date of the briefing: its "
               "reporters covered the briefing themselves, so they witnessed when it was.")
ok.check("wapo_why", wapo_reason)

# %% [markdown] tags=["solution-text"]
# **Model answer.** P1 rests on the briefing: nobody at the Post saw the railcars or had
# imagery of 18 November; it repeats the US government's account (a citation, however well
# written, adds no origin). P7 is an independent origin: the Post covered the briefing
# itself, so it can witness the day and time of the event it attended. Copies never add
# origins; first-hand observation of *what the source could observe* does.
#
# **Rubric:** 2 = both choices right and the reason is what the outlet could observe
# itself; 1 = both right without that reason, or one right with it; 0 = "a major newspaper,
# so independent" (reputation is not origin).

# %% [markdown]
# ## Grading a denial
#
# The Admiralty scale grades a source's **reliability** A (completely reliable) to F
# (cannot be judged): B usually, C fairly, D not usually reliable, E unreliable. Here is
# Prigozhin's denial, posted on Concord's Telegram channel:

# %%
claims[claims["source_id"] == "prigozhin_telegram_2022_12_22"][["id", "proposition_id",
                                                                 "stance", "text"]]

# %% [markdown] tags=["exercise"]
# **Exercise 2.4** (judgement) Grade the reliability of this source (a letter A-F) and
# justify it in two or three sentences.

# %% tags=["solution"]
prigozhin_grade = "E"
ok.check("prigozhin_reliability", prigozhin_grade)

# %% tags=["solution"]
prigozhin_reason = ("Prigozhin speaks for the accused party, which has every interest to "
                    "deny; the post offers no evidence, a bare assertion that cannot be "
                    "checked, and no independent source confirms it.")
ok.check("prigozhin_why", prigozhin_reason)

# %% [markdown] tags=["solution-text"]
# **Model answer.** E (unreliable) on this matter, or F if you argue you cannot judge
# Concord's channel at all. The source is a **party** to the accusation with a stake in
# denying it; the statement brings **no evidence**; nothing **independent** corroborates
# it (the DPRK denial is another party's word, not a confirmation). Grade the source, not
# your opinion of the claim: a denial by an interested party still counts as a denial in
# the assessment, just with little weight. The case grades it E4.
#
# **Rubric:** 2 = a defensible grade with the interest of the party and the lack of
# evidence or corroboration; 1 = a grade with one reason; 0 = "E because it is false"
# (grading the claim, not the source).

# %% [markdown]
# ## One party, one voice
#
# For P3 (arms for Wagner) the graph finds **two** supporting origins, the statement of
# 22 Dec 2022 and the briefing of 20 Jan 2023, and three contradicting ones (two KCNA
# statements and Prigozhin). But both supporting statements are the **US government**, and
# both KCNA statements the **DPRK government**: two statements of one party are not
# independent confirmation. Each source carries a `party` (the government or organisation
# it speaks for; outlets have none), and origins of one party count once.

# %%
frames["sources"].dropna(subset=["party"])[["id", "party", "kind", "reliability",
                                            "credibility"]]

# %%
p3 = ok.independent_origins("P3_arms_to_wagner", sources.claims, sources.sources)
p3_each = ok.independent_origins("P3_arms_to_wagner", sources.claims, sources.sources,
                                 by_party=False)
print("counting each origin:", p3_each.supporting, "for,", p3_each.contradicting, "against")
print("counting each party: ", p3.supporting, "for,", p3.contradicting, "against")

# %% [markdown]
# ## The assessment: how likely, and why
#
# `ok.assessment_table` turns the parties into an estimate in the words analysts use (the
# ICD 203 terms: "roughly even chance", "likely", "very likely"...), with its probability
# band, the number, and the reasons. The rule fits in one sentence: **start from even odds;
# each independent party that supports the proposition multiplies the odds by 1/(1-w), each
# party that denies it by (1-w)**, where w comes from the party's best Admiralty grade
# (B3 gives w = 0.45). Claims of unknown origin count together as one group, at half weight.
# Copies never change anything.

# %%
assessed = ok.assessment_table(sources.claims, sources.sources, sources.propositions)
assessed[["proposition_id", "assessment", "probability", "supporting_parties",
          "contradicting_parties", "unknown_origin_claims", "direct_evidence"]]

# %% [markdown]
# How to read it, row by row:
#
# * **P7** (the briefing was on Friday 20 January 2023) is **very likely, 91%**: three
#   outlets that covered the briefing date it themselves (AP, the Washington Post, Open):
#   three independent parties, nobody against.
# * **P1, P2** (the railcars in on 18 November, loaded and out on 19 November) and **P6**
#   (evidence shared with the UN) are **likely, 65%**: one party says so, the US government
#   (B3), and nobody contradicts it. For P1 and P2 the US government also released direct
#   evidence, its imagery (`direct_evidence` 1); it is still one party.
# * **P3** (arms for Wagner) and **P5** (the containers held munitions) are **likely, 63%**:
#   the same single party for them, and two parties deny them (the DPRK government and the
#   Wagner Group, graded E4). The denials weigh little, but they weigh: a contradicted
#   proposition ranks below an uncontradicted one with the same support. P5 has **no**
#   direct evidence: it rests on the US government's word.
# * **P4** (the loading was at Tumangang) is a **roughly even chance, 54%**: its two claims
#   (Militarnyi, Buna Times) are of unknown origin and count once, at half weight.
#
# Counting statements instead of parties would tell a different story: try
# `by_party=False` and P3 jumps to 75%, above P1, because the US and DPRK statements
# would each count again.

# %%
for row in assessed.itertuples():
    print(f"{row.proposition_id:>30}: {row.explanation}")

# %% [markdown]
# ## Admiralty grades
#
# Reliability of the **source** (A–F) and credibility of the **item** (1–6) are graded
# separately: a usually reliable wire (B) repeating an unconfirmed government claim is
# "B2"; state media of a party to the dispute denying it is "E4". The grades here are the
# case authors' teaching grades: argue with them.

# %%
graded = frames["sources"][["id", "kind", "reliability", "credibility", "publisher"]]
graded.sort_values(["reliability", "credibility"])

# %% [markdown]
# Next: **03 · Timeline**.
