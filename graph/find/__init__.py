"""The finders: what one article says, read from its spaCy Doc (people, agents, quotes, claims, figures, meetings, dates)."""
