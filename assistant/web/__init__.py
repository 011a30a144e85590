"""The web face: the Chainlit app, the JSON API, chat rendering, citation panels, the
landing's introduction, the rate limit and the answer cache. It calls the answer path
(`assistant.answer`, `assistant.jobs`) and renders what comes back; no ranking here."""
