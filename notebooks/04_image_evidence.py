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
# # 04 · Image evidence: what do the files say about themselves?
#
# `examples/evidence/` holds five image files. **All five are RECONSTRUCTIONS FOR
# TEACHING** made by `examples/make_reconstructions.py` (the released images are not
# available offline); each says so in its metadata and in its pixels. They behave like the
# files a researcher receives: an agency photo of the briefing, a re-post of it from a
# social network, an edited copy, and two overhead views.
#
# Evidence files are only ever **read**: osint_kit opens them read-only and the test suite
# checks their hashes before and after.

# %%
from osint_kit.images.duplicates import near_duplicates
from osint_kit.images.hashes import perceptual_hashes
from osint_kit.images.metadata import read_metadata
from osint_kit.images.scan import scan
from osint_kit.workshop.casefiles import find_examples, load_example_case
from osint_kit.workshop.checks import check

case = load_example_case(find_examples())
EVIDENCE = case.evidence_dir

# %% [markdown]
# ## Scan the folder
#
# One row per file, a stable set of columns, an `error` column for files that cannot be
# read (a batch never dies on one bad file).

# %%
files = scan(EVIDENCE, workers=0, progress=False)
files[["file_name", "width", "height", "software", "datetime_original", "offset_original",
       "iptc_credit", "has_exif", "has_iptc", "has_xmp", "has_thumbnail", "error"]]

# %% [markdown]
# ## One file in detail
#
# The agency-style photo carries a capture time **with its offset** (`-05:00`, Washington
# in January), an IPTC by-line and credit (a **fictional** photographer, styled like the
# article's "PAP/EPA/..." credit) and a caption that says what the file is.

# %%
agency = read_metadata(EVIDENCE / "briefing_agency_photo_reconstruction.jpg")
agency

# %%
print("capture time:", agency.datetime_original, "| offset:", agency.offset_original)
print("in UTC:      ", agency.datetime_original_utc)
print("provenance:  ", agency.provenance.get("datetime_original"))

# %% [markdown]
# ## Near-duplicates: find the re-posted copy
#
# Cryptographic hashes (SHA-256) change with every byte; **perceptual hashes** change only
# when the picture changes. Files whose perceptual hashes are a few bits apart show the
# same picture, however they were resized or re-encoded.

# %%
hashes = perceptual_hashes(sorted(EVIDENCE.glob("*.jpg")), workers=0, progress=False)
groups = near_duplicates(hashes, include_singletons=True)
groups.assign(file=groups["path"].map(lambda p: p.rsplit("/", 1)[-1]))[
    ["file", "cluster", "cluster_size", "nearest_distance", "sha256"]]

# %% [markdown]
# Two clusters. The two overhead views are near-duplicates of each other: **same place,
# same viewpoint, different day** (a near-duplicate is not always a copy). The three
# briefing files form the other cluster: same picture, three different SHA-256. Which one
# is the re-post? Look at size, dimensions and metadata.

# %%
briefing = files[files["file_name"].str.startswith("briefing")]
briefing[["file_name", "file_size", "width", "height", "has_exif", "has_iptc", "has_xmp",
          "software"]]

# %% [markdown] tags=["exercise"]
# **Exercise 4.1** Which file is the re-posted social-media copy? Give its file name.

# %% tags=["solution"]
reposted = briefing.loc[~briefing["has_exif"].astype(bool), "file_name"].iloc[0]
check("reposted_copy", reposted)

# %% [markdown]
# The re-post lost its EXIF, IPTC and XMP (social networks strip them), was resized and
# re-encoded. Only a JPEG comment naming it as a reconstruction is left: we put it there so
# that even this file labels itself.

# %%
read_metadata(EVIDENCE / "briefing_reposted_social_copy_reconstruction.jpg").raw

# %% [markdown]
# ## The edited copy: software, history, a stale thumbnail
#
# The third file has the same camera fields, but its `Software` and XMP history say it
# went through an editor, and its modification time is a day after the capture.

# %%
edited = read_metadata(EVIDENCE / "briefing_edited_copy_reconstruction.jpg")
print("software:   ", edited.software)
print("modified:   ", edited.datetime_modified, edited.offset_modified)
print("captured:   ", edited.datetime_original)
for step in edited.xmp_history:
    print("history:    ", step)
print("thumbnail:  ", edited.thumbnail_bytes_len, "bytes embedded")

# %% [markdown] tags=["exercise"]
# **Exercise 4.2** Which software edited the file?

# %% tags=["solution"]
edited_software = edited.software
check("edited_software", edited_software)

# %% [markdown]
# Next: **05 · Place and time**.
