"""The benchmark: a seeded synthetic corpus, and one command that times builds of it.

    corpus.py        the synthetic guidance: pages, case studies, actions (seeded)
    generate.py      writes a corpus out as a toolkit edition, a MkDocs project and a
                     Hugo site; writes many small branded editions for `build --all`
    measure.py       one whole process timed, with its peak memory; the machine
    serve_timing.py  save-to-output times of `python build.py serve`
    scenarios.py     each scenario, for the toolkit and for the peers
    plain_loop.py    the floor: markdown-it-py + Jinja2 in one loop, timed as a peer
    run.py           every scenario, the table (bench/results.md)
    profile_build.py a cProfile summary of a cold build (bench/profile-1000.txt)

Run `python bench/run.py --help`.
"""
