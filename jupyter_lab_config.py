"""JupyterLab settings for `make lab`: nothing phones home.

An investigator's browser tab must not tell anyone what is being looked at, so the
announcements feed, the update check and the PyPI-backed extension manager are off. The
"Jupyter news?" notification is switched off by the settings override in
``jupyter_lab_settings/overrides.json`` (fetchNews "false"), so it is never even asked.
"""

from pathlib import Path

c = get_config()  # type: ignore[name-defined]  # noqa: F821
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.handlers.announcements.NeverCheckForUpdate"
c.LabApp.extension_manager = "readonly"
c.LabApp.app_settings_dir = str(Path(__file__).resolve().parent / "jupyter_lab_settings")
c.ServerApp.ip = "127.0.0.1"
