"""spaCy's fine-grained tags, computed only when a recogniser reads one.

The tagger, with the tok2vec layer it listens to, is about a third of the model's time per
message, yet only a few name rules read a tag, and only for some candidate words. The Redactor
runs the tokenizer and the NER alone and leaves this component last in the pipeline: it notes
on the doc how to tag it, and `tag_of` does so the first time a tag is read. The tags are the
same as from the full pipeline: the NER has its own tok2vec, and both tok2vecs read only the
words (norm, prefix, suffix, shape), so neither depends on the other running first.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

FACTORY = "townhall_deferred_tagger"
_PENDING = "townhall.pending_tagging"


class DeferredTagger:
    """Pipeline component: leaves `tok2vec` + `tagger` (disabled in the pipeline) for later."""

    def __init__(self, nlp: Language) -> None:
        self._pipes = [nlp.get_pipe("tok2vec"), nlp.get_pipe("tagger")]

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[_PENDING] = self._tag
        return doc

    def _tag(self, doc: Doc) -> None:
        for pipe in self._pipes:
            pipe(doc)


@Language.factory(FACTORY)
def make_deferred_tagger(nlp: Language, name: str) -> DeferredTagger:
    """spaCy factory (components must be registered by name)."""
    return DeferredTagger(nlp)


def tag_of(token: Token) -> str:
    """`token.tag_`, tagging its doc first when that was deferred and has not happened yet."""
    pending = token.doc.user_data.pop(_PENDING, None)
    if pending is not None:
        pending(token.doc)
    return token.tag_
