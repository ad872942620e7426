"""The temporal tagger behind the times stage: grammar (what the text says), frames and resolution."""
