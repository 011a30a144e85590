"""The assistant: reads the index and answers questions with verbatim, cited quotes."""
