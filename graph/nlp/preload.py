"""Loads the spaCy pipeline on import — only for the fork server of parallel ingest.

:mod:`graph.ingest.parallel` names this module as the fork server's preload, so the model is read
from disk once and every worker forked from that server starts with it in memory (a worker
started from scratch would import spaCy and load the model again, seconds each). Nothing else
imports this module.
"""

from graph.nlp.language import load_nlp

load_nlp()
