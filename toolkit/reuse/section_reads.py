"""What a page's templates can read of the guide's sections: checked once per template
environment, for the preview's quick rebuild of a body edit (body_edit.py).

After one section's body is edited, the sections other pages are shown differ from
the last build's only in that body. A page whose templates never read a section's
body is then the same page, though the list of sections it read changed; and the
one-page guide, which shows every body, differs only where it shows that one.

The check is on the templates' syntax trees (the page's template, every template it
extends, includes or imports, and the navigation render.py shows on every page), and
is conservative: it accepts only templates in which

- a section, that is a loop variable over `site.content.pages`, over a call of
  `site.structure.sections / case_study_sections / illustrates`, or over a variable set
  to one, is only ever asked for an attribute, never `body` (or, where bodies are
  allowed, `X.body` only as `X.body|guide_md(...)` or `|md` output as it is, with
  nothing buffered around it: see whole_guide.py);
- such a variable of sections is only looped over or tested for being empty;
- `site`, `site.content`, `loop` are only asked for attributes, and never for
  `site.content.home`, `site.structure` other than those calls and `hidden_paths`,
  `loop.previtem` or `loop.nextitem`; the filters' context (terms_seen, resolver,
  render_memo) is not named;
- the word 'body' appears nowhere else, no attribute starting with '_' is asked for, and
  every template named is known before rendering.
Anything else makes the page be rendered as usual.
"""
from __future__ import annotations

import jinja2
from jinja2 import meta, nodes

NAV_TEMPLATE = "_nav.html"                  # rendered apart by render.py, shown on every page
SECTION_CALLS = frozenset({"sections", "case_study_sections", "illustrates"})   # Site methods giving sections
BODY_FILTERS = frozenset({"md", "guide_md"})
MARKDOWN_FILTERS = frozenset({"md", "guide_md", "national_md"})
_PLAIN_ANCESTORS = (nodes.Template, nodes.Block, nodes.For, nodes.If, nodes.Output, nodes.Scope, nodes.With)
_HIDDEN_NAMES = frozenset({"terms_seen", "resolver", "render_memo"})


def sections_read(env: jinja2.Environment, name: str, bodies_through_filters: bool = False) -> bool:
    """Does the template `name` (with all it uses) read sections as the module docstring says?
    `bodies_through_filters`: may it show their bodies through the Markdown filters?"""
    try:
        trees = _templates(env, [name, NAV_TEMPLATE])
    except jinja2.TemplateError:
        return False
    if trees is None:
        return False
    collections = {node.target.name for tree in trees.values() for node in tree.find_all(nodes.Assign)
                   if isinstance(node.target, nodes.Name) and _gives_sections(node.node, set())}
    sections = {node.target.name for tree in trees.values() for node in tree.find_all(nodes.For)
                if isinstance(node.target, nodes.Name) and _gives_sections(node.iter, collections)}
    macros: dict[str, list[str] | None] = {}
    for tree in trees.values():
        for macro in tree.find_all(nodes.Macro):         # a name defined twice is not trusted
            macros[macro.name] = None if macro.name in macros else [arg.name for arg in macro.args]
    names = _Names(sections, collections, macros)
    return all(_checked(tree, (), names, bodies_through_filters and template != NAV_TEMPLATE)
               for template, tree in trees.items())


class _Names:
    def __init__(self, sections: set, collections: set, macros: dict):
        self.sections, self.collections, self.macros = sections, collections, macros


def templates_used(env: jinja2.Environment, names) -> list[str]:
    """The templates `names` and all they extend, include or import (those known before rendering)."""
    try:
        found = _templates(env, list(names), skip_dynamic=True)
    except jinja2.TemplateError:
        return []
    return list(found or ())


def _templates(env, names: list[str], skip_dynamic: bool = False) -> dict | None:
    found, todo = {}, list(names)
    while todo:
        current = todo.pop()
        if current in found:
            continue
        tree = env.parse(env.loader.get_source(env, current)[0])
        found[current] = tree
        for referenced in meta.find_referenced_templates(tree):
            if referenced is None:
                if skip_dynamic:
                    continue
                return None                # a template chosen at render time: cannot be checked
            todo.append(referenced)
    return found


def _gives_sections(node, collections: set) -> bool:
    """site.content.pages, site.structure.<a method giving sections>(...), or a variable set to one."""
    if isinstance(node, nodes.Name):
        return node.name in collections
    if isinstance(node, nodes.Getattr):
        return node.attr == "pages" and _is(node.node, "site", "content")
    return (isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr) and node.node.attr in SECTION_CALLS
            and _is(node.node.node, "site", "structure"))


def _is(node, name: str, attr: str) -> bool:
    return (isinstance(node, nodes.Getattr) and node.attr == attr and isinstance(node.node, nodes.Name)
            and node.node.name == name)


def _checked(node, ancestors: tuple, names: _Names, bodies: bool) -> bool:
    parent = ancestors[-1] if ancestors else None
    if isinstance(node, nodes.Name) and not _name_used_well(node, parent, ancestors, names, bodies):
        return False
    if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name) and node.node.name == "site":
        if node.attr == "content" and not (isinstance(parent, nodes.Getattr) and parent.attr != "home"
                                           and (parent.attr != "pages" or _looped_over(parent, ancestors[:-1]))):
            return False
        if node.attr == "structure" and not _structure_used_well(node, ancestors):
            return False
    if isinstance(node, nodes.Filter) and node.name in MARKDOWN_FILTERS and bodies:
        if not (isinstance(parent, nodes.Output) and all(isinstance(a, _PLAIN_ANCESTORS) for a in ancestors)):
            return False
    if isinstance(node, nodes.Const) and node.value == "body":
        return False
    if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
        return False                       # __dict__ and the like lead anywhere
    return all(_checked(child, ancestors + (node,), names, bodies) for child in node.iter_child_nodes())


def _name_used_well(node: nodes.Name, parent, ancestors: tuple, names: _Names, bodies: bool) -> bool:
    if node.name in _HIDDEN_NAMES:
        return False
    if node.name in names.sections:
        if isinstance(parent, nodes.For) and parent.target is node:
            return True
        return (isinstance(parent, nodes.Getattr) and parent.node is node and node.ctx == "load"
                and (parent.attr != "body" or (bodies and _shown_as_filtered(ancestors))))
    if node.name in names.collections:
        if isinstance(parent, nodes.Assign) and parent.target is node:
            return _gives_sections(parent.node, set())
        if isinstance(parent, nodes.For) and parent.iter is node:
            return not parent.recursive and isinstance(parent.target, nodes.Name)
        return _tested(node, ancestors)
    if node.name == "site":
        return ((isinstance(parent, nodes.Getattr) and parent.node is node)
                or (node.ctx == "param" and isinstance(parent, nodes.Macro))
                or _given_to_macro_as_site(node, parent, names))
    if node.name == "loop":
        if not (isinstance(parent, nodes.Getattr) and parent.node is node):
            return False
        loop = next((a for a in reversed(ancestors) if isinstance(a, nodes.For)), None)
        return parent.attr not in ("previtem", "nextitem") or loop is None or \
            not _gives_sections(loop.iter, names.collections)
    return True


def _given_to_macro_as_site(node: nodes.Name, parent, names: _Names) -> bool:
    """`site` handed to a macro of these templates whose parameter there is named `site` too
    (so the macro's uses of it are checked as the site's)."""
    if not isinstance(parent, nodes.Call):
        return False
    callee = parent.node
    name = callee.name if isinstance(callee, nodes.Name) else callee.attr if isinstance(callee, nodes.Getattr) else None
    params = names.macros.get(name)
    if params is None or parent.dyn_args is not None or parent.dyn_kwargs is not None:
        return False
    for index, arg in enumerate(parent.args):
        if arg is node:
            return index < len(params) and params[index] == "site"
    return any(keyword.value is node and keyword.key == "site" and "site" in params for keyword in parent.kwargs)


def _looped_over(node, ancestors: tuple) -> bool:
    parent = ancestors[-1] if ancestors else None
    return (isinstance(parent, nodes.For) and parent.iter is node and not parent.recursive
            and isinstance(parent.target, nodes.Name))


def _structure_used_well(node, ancestors: tuple) -> bool:
    """site.structure.related(...) anywhere (it gives case studies); site.structure.hidden_paths
    (made from the settings); a method giving sections only looped over or set to a variable."""
    if len(ancestors) < 1 or not isinstance(ancestors[-1], nodes.Getattr):
        return False
    if ancestors[-1].attr == "hidden_paths":
        return True
    if len(ancestors) < 2:
        return False
    method, call = ancestors[-1], ancestors[-2]
    if not (isinstance(call, nodes.Call) and call.node is method):
        return False
    if method.attr == "related":
        return True
    if method.attr not in SECTION_CALLS or len(ancestors) < 3:
        return False
    user = ancestors[-3]
    return ((isinstance(user, nodes.For) and user.iter is call and not user.recursive
             and isinstance(user.target, nodes.Name))
            or (isinstance(user, nodes.Assign) and user.node is call and isinstance(user.target, nodes.Name)))


def _tested(node, ancestors: tuple) -> bool:
    """Is `node` only tested for being empty: the test of an if, through and/or/not?"""
    child = node
    for ancestor in reversed(ancestors):
        if isinstance(ancestor, (nodes.And, nodes.Or, nodes.Not)):
            child = ancestor
            continue
        return isinstance(ancestor, (nodes.If, nodes.CondExpr)) and ancestor.test is child
    return False


def _shown_as_filtered(ancestors: tuple) -> bool:
    """The `X.body` whose ancestors these are is `X.body|guide_md(...)` or `|md`, output as it is."""
    if len(ancestors) < 3:
        return False
    getattr_node, filtered, output = ancestors[-1], ancestors[-2], ancestors[-3]
    return (isinstance(filtered, nodes.Filter) and filtered.name in BODY_FILTERS and filtered.node is getattr_node
            and isinstance(output, nodes.Output))
