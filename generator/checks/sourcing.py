"""Approval, dose and safety facts come from authoritative sources (issue 25, item 10).

An approval's source must be on the allow-list of hosts (data/authoritative_hosts.yml): a
regulator's page or label archive, or a maker's own labeling site. A safety item, a regulatory
status statement (`no_approval`, `compounding`, `controlled`) and a protocol row's schedule
source may also be a published study (DOI or PMID). Anything else (a document-sharing copy
of a label, a webmail or staging mirror, a marketing page, a clinic's blog) is an error at
the line that uses it.
"""
from __future__ import annotations

from pathlib import Path

from generator.checks.context import CheckContext
from generator.errors import Reporter
from generator.model import Reference
from generator.model.authority import address, authoritative, host_of, published_study

LIST = "generator/data/authoritative_hosts.yml"


def _refuse(rep: Reporter, path: Path, line: int, key: str, ref: Reference | None, use: str,
            studies_ok: bool) -> None:
    if ref is None:  # an unknown key is the citation check's error, reported there
        return
    if authoritative(ref) or (studies_ok and published_study(ref)):
        return
    url = address(ref)
    where = f"its address is on {host_of(url) or url!r}" if url else "it has no web address"
    allowed = "a host on the allow-list" + (" or a published study with a DOI or PMID" if studies_ok else "")
    rep.error(path, line, f"'{key}' backs {use}, but {where}: cite {allowed} ({LIST}), "
              "e.g. the label on DailyMed or the regulator's own page")


def check_authoritative_sources(ctx: CheckContext, rep: Reporter) -> None:
    site, refs = ctx.site, ctx.site.references
    for term in site.terms.values():
        agent, path = term.agent, term.loc.path
        if agent is None:
            continue
        for a in agent.approvals:
            _refuse(rep, path, a.line, a.source, refs.get(a.source), f"the approval of {a.product}", False)
        for item in agent.safety:
            for key in item.sources:
                _refuse(rep, path, item.line, key, refs.get(key), f"a safety statement ({item.kind})", True)
        for name, dated in (("no_approval", agent.no_approval), ("compounding", agent.compounding),
                            ("controlled", agent.controlled)):
            if dated is None:
                continue
            for key in dated.sources:
                _refuse(rep, path, dated.line, key, refs.get(key), f"the '{name}' statement", True)
    for proto in site.protocols.values():
        for row in proto.agents:
            line = row.key_lines.get("sources", row.line)
            for e in row.evidence:
                if e.backs_schedule:
                    _refuse(rep, proto.loc.path, line, e.key, refs.get(e.key),
                            f"the schedule of '{row.agent}'", True)
