"""The web UI (server-rendered Dutch pages) and the JSON API, built by ``create_app``."""
