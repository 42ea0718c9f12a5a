"""The benchmark: a seeded synthetic corpus, and one command that times builds of it.

    corpus.py            the synthetic guidance: pages, case studies, actions (seeded)
    generate.py          writes a corpus out as a toolkit edition; writes many small
                         branded editions for `build --all`; the command line for both
    peers.py             the same content (a corpus, or the national edition's) as a
                         MkDocs, MkDocs + Material, Zensical or Hugo project
    measure.py           one whole process timed, with its peak memory and a time limit
    serve_timing.py      save-to-output times of `python build.py serve`
    scenarios.py         the toolkit's scenarios, and the timing every scenario shares
    peer_bench.py        the other tools' scenarios
    plain_loop.py        the floor: markdown-it-py + Jinja2 in one loop, timed as a peer
    run.py               every scenario, in one command
    report.py            the table (bench/results.md)
    profile_build.py     a cProfile summary of a cold build (bench/profile-1000.txt)
    toolkit_internals.py the one place bench/ imports the toolkit's own modules

Run `python bench/run.py --help`.
"""
