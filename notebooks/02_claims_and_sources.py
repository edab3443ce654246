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
frames["claims"][["id", "source_id", "claimant", "proposition_id", "stance", "origin_id"]]

# %% [markdown]
# ## The claim × source matrix
#
# Rows are propositions, columns are sources; each cell says whether that source supports,
# contradicts or only mentions the proposition (or is silent).

# %%
matrix = ok.cross_reference(sources.claims, sources.sources, sources.propositions)
HTML(ok.matrix_html(matrix, title="Propositions x sources"))

# %% [markdown]
# ## Who copied whom: independent origins
#
# Each source says what it **cites** and what it **copies**. Following those links back,
# most of the coverage ends at the White House briefing of 20 January 2023. In the graph,
# arrows point from a source to what it rests on; origins sit on the right.

# %%
figure = ok.plot_independence(ok.citation_graph(sources.sources))

# %%
table = ok.independence_table(sources.claims, sources.sources)
table[["proposition", "supporting_origins", "contradicting_origins", "confidence"]]

# %%
print(ok.independent_origins("P1_cars_in", sources.claims, sources.sources).explanation)

# %% [markdown] tags=["exercise"]
# **Exercise 2.1** How many independent origins support P1 (five railcars into North
# Korea on 18 Nov 2022)? Count them yourself from the claims' `origin_id` and the sources'
# `cites`/`copies`, then compare with the table.

# %% tags=["solution"]
origins_p1 = ok.independent_origins("P1_cars_in", sources.claims, sources.sources).supporting
ok.check("independent_origins_p1", origins_p1)

# %% [markdown]
# Note what the counter cannot know: for P3 it finds **two** supporting origins, the
# statement of 22 Dec 2022 and the briefing of 20 Jan 2023. Both are the **same
# government**: two statements by one party are not independent confirmation.
#
# Tell it what you know with `parties=` (origin source id -> who speaks in it): origins of
# one party then count once, and the explanation says which party you named.

# %%
us_government = {"kirby_2022_12_22": "US government",
                 "whitehouse_briefing_2023_01_20": "US government"}
p3 = ok.independent_origins("P3_arms_to_wagner", sources.claims, sources.sources,
                            parties=us_government)
print(p3.supporting, "supporting origin(s):",
      "; ".join(f"{', '.join(g.origins)} (party {', '.join(g.parties) or 'not named'})"
                for g in p3.supporting_groups))

# %% [markdown]
# ## The denials
#
# Who contradicts what? The KCNA statement of 23 Dec 2022 **does not mention Wagner**; the
# statement of 29 Jan 2023 came **after** the imagery release; Prigozhin's denial was posted
# on Concord's Telegram channel on 22 Dec 2022. The UN said it had **no information**: an
# absence of evidence, not a denial.

# %%
claims = frames["claims"]
claims[claims["stance"] == "contradicts"][["id", "source_id", "claimant", "about", "text"]]

# %% [markdown] tags=["exercise"]
# **Exercise 2.2** How many distinct *parties* deny P3 (count parties, not statements)?

# %% tags=["solution"]
denying_parties = 2  # the DPRK (two KCNA statements) and Wagner (Prigozhin)
ok.check("denying_parties", denying_parties)

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
