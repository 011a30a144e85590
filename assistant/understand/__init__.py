"""Question understanding, and the reading of a corpus it relies on: the question parsed
at the edge (`question`), follow-ups (`followup`), intents, technologies and their
aliases, answer types, kinds of section, the person's name, roles by date, figures.
Pure functions; they read an index only through the small protocol in `index_view`."""
