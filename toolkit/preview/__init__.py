"""The live preview (`serve`): a watcher that reports changed files, a rebuild that keeps the
last good site in memory, and a server that shows it with the problems of a failed build.

    watcher.py   the files a build reads, and which of them changed
    rebuild.py   Preview: rebuild on a change, keep the last good site or the problems
    server.py    serve the site from memory on 127.0.0.1, with the reload script and panel
"""
