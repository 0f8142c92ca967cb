"""Answer composition, one module per step (DESIGN.md): each step takes what the previous one
produced and returns a value the next can read; the pipeline runs them in order:

fact_types (what kind of fact is asked) -> candidates (the retrieved sections' units) -> ranker
(the learned unit ranker) -> assembly (the reply, its sources) -> grounding (the guard every
answer passes, extractive or from a chat model) -> confidence (of the composed answer).
`fitted.json` holds the ranker's and the confidence's fitted numbers; `make fit-answers`
rebuilds it.
"""
