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
# # 07 · Web archives and channel exports: many copies, one origin
#
# Researchers rarely keep a page as a hand-saved HTML file. They keep **web archives**
# (WARC files, or WACZ packages from Webrecorder / ArchiveWeb.page / Browsertrix) and
# **channel exports** (Telegram Desktop's "Export chat history" as JSON). This notebook shows
# how each enters the kit, what each importer trusts, and how copies across a news site and
# two channels collapse to **one origin**.
#
# > **All material in this notebook is CONSTRUCTED FOR TEACHING.** The news page, the
# > "Press Service" and "Aggregator" channels and their messages are invented; they are made
# > by `osint_kit.sources.capture.archives.samples` when the notebook runs. No real archive or
# > channel is used, and nothing is fetched.

# %%
import pandas as pd

import osint_kit as ok
from osint_kit.sources.capture.archives.samples import (
    LABEL,
    teaching_channels,
    write_wacz,
    write_warc,
)
from osint_kit.workshop.casefiles import output_dir

OUT = output_dir() / "archives"  # build/notebooks/archives/ in the repository
OUT.mkdir(parents=True, exist_ok=True)
print(LABEL)

# %% [markdown]
# ## A web archive
#
# A WARC file is a sequence of records: the HTTP response for the page, one for each image,
# each with its own header block. `list_pages` shows the HTML pages it holds, with the
# archive's capture time (`WARC-Date`) and whether each payload still matches the digest the
# archiving tool wrote (`WARC-Payload-Digest`).

# %%
warc_path = write_warc(OUT / "news_page.warc.gz", [{
    "url": "https://news.example/rail-cars",
    "title": "Press service denies rail deliveries (constructed)",
    "body": "The press service said on Telegram on 18 November 2022 that it sent no rail "
            "cars. Details: statement.",
    "warc_date": "2022-11-19T08:30:00Z"}])
ok.list_pages(warc_path)

# %% [markdown]
# `ingest_warc` reads the archive once, runs every page through the same HTML capture path
# as a saved page (`ingest_html`), and keeps three different times apart: when the archive
# **captured** the page (`WARC-Date`), what the **server's clock** said then (`Date`), and
# what the page **claims** about itself (`Last-Modified`, the markup's publication date).

# %%
archive = ok.ingest_warc(warc_path)
page = archive.pages[0]
archive.pages_frame()[["url", "warc_date", "http_date", "last_modified", "published",
                        "digest_status", "source_id"]]

# %% [markdown]
# The photo the page embeds is found in the same archive by its URL and reported with its
# SHA-256, so it can be taken into a case as evidence and compared with copies elsewhere.

# %%
archive.media_frame()[["url", "kind", "found", "size", "sha256", "digest_status"]]

# %% [markdown]
# ### A tampered payload
#
# Change one word of the archived page (here: in a copy) and the digest check catches it.
# The page is still read, but its status says MISMATCH and the archive's warnings say why.

# %%
import gzip

plain = gzip.decompress(warc_path.read_bytes())
tampered = OUT / "news_page_tampered.warc"
tampered.write_bytes(plain.replace(b"sent no rail", b"sent 40 rail"))
bad = ok.ingest_warc(tampered)
print(bad.pages[0].record.digest_status)
print(bad.warnings)

# %% [markdown]
# ### The same capture as a WACZ
#
# A WACZ is a zip with the WARC, a page list and `datapackage.json`, which gives every file's
# SHA-256. `check_wacz` re-hashes them offline and reports the signature block (this one is
# unsigned: a signed WACZ names its software and key, and an anonymous key's signature is
# verified offline; who holds the key is a question for the researcher).

# %%
wacz_path = write_wacz(OUT / "news_page.wacz", warc_path)
check = ok.check_wacz(wacz_path)
print("problems:", check.problems or "none")
print(check.signature)
check.resources_frame()

# %% [markdown]
# ## Two Telegram channels
#
# Telegram Desktop writes each message's time twice: `date` in the **exporting computer's
# local time** (no zone given) and `date_unixtime`, the UTC instant. The kit only ever reads
# `date_unixtime` as UTC; `date` is kept as text. Our constructed exporter sat at UTC+3, so
# the two differ by three hours.

# %%
origin_path, aggregator_path = teaching_channels(OUT / "telegram")
press = ok.read_telegram(origin_path)
aggregator = ok.read_telegram(aggregator_path)
press.frame()[["chat", "message_id", "date_local", "posted_utc", "edited_utc", "text",
               "links", "media"]]

# %% [markdown]
# Service messages (channel created, pinned, renamed...) are kept apart: they are about the
# channel, not statements in it. Photos are hashed where they lie in the export folder; a
# media path that points outside that folder is refused, never read.

# %%
press.frame(service=True)[["message_id", "posted_utc", "action"]]

# %%
press.media_frame()[["source_id", "field", "path", "status", "sha256"]]

# %% [markdown]
# The aggregator **forwards** the press service's post and then replies to its own forward.
# A forward names its origin (`forwarded_from`): the kit turns that into a `copies` edge,
# pointing at the very post when the origin channel's export is loaded too.

# %%
aggregator.frame()[["message_id", "posted_utc", "forwarded_from", "reply_to", "text"]]

# %% [markdown]
# ## Tracing the copies to one origin
#
# The news page says it reports the press service's Telegram statement: the researcher
# records that as a citation (`cites`). With the channel sources from both exports, the
# citation graph has three documents resting on one post.

# %%
from dataclasses import replace

channel_sources = ok.merge_exports(press, aggregator)
statement_id = "tg-press-service-constructed-2"
web_source = replace(page.source, cites=(statement_id,))
sources = [web_source, *channel_sources]
claims = [
    ok.Claim(id=f"C{i}", source_id=sid, text="no rail cars were sent",
             proposition_id="P_no_rail", stance="contradicts", confirmed=True)
    for i, sid in enumerate([statement_id, "tg-aggregator-constructed-10", web_source.id])
]
origins = ok.independent_origins("P_no_rail", claims, sources)
print(origins.explanation)
origins.contradicting

# %% [markdown]
# Three documents, **one independent origin**: the press service's post. Counting the
# aggregator and the news page as separate confirmations would be counting copies.
#
# ## Onto the timeline
#
# Which timestamps become events is decided by the declarative timeliner map
# (`web_capture`, `web_page`, `telegram_message` entries), not by each importer. A date-only
# value whose zone is unknown (the page's own publication date) becomes a widened interval,
# never a guessed instant.

# %%
timeline = ok.archive_events(archive).merge(ok.archive_events(press),
                                            ok.archive_events(aggregator)).sort()
timeline.df[["label", "kind", "earliest", "latest", "tz", "source_ids"]]

# %% [markdown]
# ## Into a case, with custody
#
# `add_to_case` takes the archive file and `result.json` in as evidence first (their
# SHA-256 is in the custody log's intake entries), then the sources, unconfirmed claims,
# media (the archived photo as a byte-exact copy derived from the archive; the channel's
# photo as evidence of its message) and events linked to the evidence they came from.

# %%
case = ok.Case.create(OUT / f"case-{pd.Timestamp.now('UTC'):%Y%m%d%H%M%S%f}",
                      title="Archives and channels (constructed)", actor="notebook")
print(ok.add_to_case(case, archive))
print(ok.add_to_case(case, press))
print(ok.add_to_case(case, aggregator))
case.custody()[["seq", "action", "table", "record_id"]].head(8)

# %%
report = case.verify()
print("case intact:", report.ok)
case.close()
