"""The stages of a build, in the order pipeline.build runs them:

    edition      toolkit.yml and the editions it extends (the search path)
    discover     the source files, along the search path
    content      pages, case studies and data, parsed and checked (markdown, principles)
    structure    output URLs, navigation, related case studies
    render       the Jinja2 theme (resolve finishes each Markdown text for its page)
    search_index the search files, generated: brand.css, robots.txt, sitemap.xml
    write        the output folder, staged; pdf the whole guide as a PDF
    server_settings, zip_site   beside the site: web server settings, and the site as a zip

Each is a function from plain immutable values to plain immutable values.
"""
